// LaunchTarget on a host profile (an SSH host or a Slurm cluster, core/remote/host_profile.h):
// `astro run CONFIG --on NAME` started detached. That process sends the inputs, starts the worker
// on the host, prints "run <ID>" (the local mirror's id) and keeps mirroring the run into the
// local workspace, so following it is reading the local store like a run on this machine.
// Cancel and resume are the same `astro cancel` / `astro resume`: the CLI routes a mirrored run
// to its host. Running runs are the workspace's running or pending runs mirrored from this
// profile (a queued Slurm job's run is pending).
#pragma once

#include "core/remote/host_profile.h"
#include "gui/launch/cli_launch_target.h"

namespace astro::gui {

class RemoteLaunchTarget : public CliLaunchTarget {
  Q_OBJECT
 public:
  RemoteLaunchTarget(std::filesystem::path workspace, QString cliPath, remote::HostProfile profile,
                     QObject* parent = nullptr);

  QString description() const override;  // "gpu-a (SSH alice@gpu-a)"
  const remote::HostProfile& profile() const { return profile_; }

 protected:
  QStringList runOptions() const override;
  RunningFilter runningFilter() const override;

 private:
  remote::HostProfile profile_;
};

// "SSH alice@gpu-a:2222" or "Slurm via local": how the chooser and the Hosts dialog name a
// profile's kind and where it is reached.
QString hostProfileWhere(const remote::HostProfile& profile);

}  // namespace astro::gui
