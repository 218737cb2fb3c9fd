// Launching on a host profile (remote_launch_target.h).
#include "gui/launch/remote_launch_target.h"

namespace astro::gui {

QString hostProfileWhere(const remote::HostProfile& profile) {
  if (profile.kind == remote::HostKind::kSlurm) {
    return QObject::tr("Slurm via %1").arg(QString::fromStdString(profile.slurm.login));
  }
  return QObject::tr("SSH %1").arg(QString::fromStdString(profile.ssh.text()));
}

RemoteLaunchTarget::RemoteLaunchTarget(std::filesystem::path workspace, QString cliPath,
                                       remote::HostProfile profile, QObject* parent)
    : CliLaunchTarget(std::move(workspace), std::move(cliPath), parent),
      profile_(std::move(profile)) {}

QString RemoteLaunchTarget::description() const {
  return QStringLiteral("%1 (%2)").arg(QString::fromStdString(profile_.name),
                                       hostProfileWhere(profile_));
}

QStringList RemoteLaunchTarget::runOptions() const {
  return {QStringLiteral("--on"), QString::fromStdString(profile_.name)};
}

CliLaunchTarget::RunningFilter RemoteLaunchTarget::runningFilter() const {
  return [name = profile_.name](const RunSummary& summary) {
    auto status = summary.run.status;
    return summary.remote && summary.remote->profile == name &&
           (status == store::RunStatus::kRunning || status == store::RunStatus::kPending);
  };
}

}  // namespace astro::gui
