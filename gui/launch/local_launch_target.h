// LaunchTarget on this machine: `astro run CONFIG --base-dir PRESET_DIR` started detached, so
// closing the studio does not stop the worker. The edited config is kept as
// <workspace>/launch/<name>-<time>.toml beside the worker's stdout (.out) and stderr (.err); the
// run id is the first stdout line ("run <ID>"). Cancel and resume are detached `astro cancel` /
// `astro resume`; events are read from the workspace's store.
#pragma once

#include <QString>
#include <filesystem>

#include "gui/common/job_tracker.h"
#include "gui/launch/launch_target.h"

namespace astro::gui {

class DetachedCommand;

class LocalLaunchTarget : public LaunchTarget {
  Q_OBJECT
 public:
  // `cliPath`: the `astro` program (astroCliPath()).
  LocalLaunchTarget(std::filesystem::path workspace, QString cliPath, QObject* parent = nullptr);

  QString description() const override;
  void start(const LaunchRequest& request) override;
  void cancel(std::int64_t runId) override;
  void resume(std::int64_t runId) override;
  void findRunning() override;
  std::unique_ptr<RunEventSource> follow(std::int64_t runId, std::int64_t sinceSeq) override;

  const std::filesystem::path& workspace() const { return workspace_; }
  QString launchFolder() const;  // <workspace>/launch

 private:
  // Starts `astro --workspace W arguments...` detached; its output files are launch/<stem>.*.
  DetachedCommand* startCommand(QStringList arguments, const QString& stem);
  void runCommand(const QString& verb, std::int64_t runId);

  std::filesystem::path workspace_;
  QString cliPath_;
  JobTracker findJobs_{this};
};

// The `astro` program: $ASTRO_CLI, else `astro` beside this executable, else `astro` on PATH.
QString astroCliPath();

}  // namespace astro::gui
