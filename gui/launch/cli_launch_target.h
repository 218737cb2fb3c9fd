// What this machine's and a host profile's LaunchTarget share: both drive the `astro` program
// against the local workspace, started detached (it outlives the studio). The edited config is kept
// as <workspace>/launch/<name>-<time>.toml beside the command's stdout (.out) and stderr (.err);
// the run id is the first stdout line ("run <ID>"). Cancel and resume are detached `astro cancel` /
// `astro resume` (which route a mirrored run to its host); events are read from the workspace's
// store, where a remote run's mirror writes too.
#pragma once

#include <QString>
#include <QStringList>
#include <filesystem>
#include <functional>

#include "gui/common/job_tracker.h"
#include "gui/launch/launch_target.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

class DetachedCommand;

class CliLaunchTarget : public LaunchTarget {
  Q_OBJECT
 public:
  // `cliPath`: the `astro` program (astroCliPath()).
  CliLaunchTarget(std::filesystem::path workspace, QString cliPath, QObject* parent = nullptr);

  void start(const LaunchRequest& request) override;
  void cancel(std::int64_t runId) override;
  void resume(std::int64_t runId) override;
  void findRunning() override;
  std::unique_ptr<RunEventSource> follow(std::int64_t runId, std::int64_t sinceSeq) override;

  const std::filesystem::path& workspace() const { return workspace_; }
  const QString& cliPath() const { return cliPath_; }
  QString launchFolder() const;  // <workspace>/launch
  // The arguments `start` gives `astro` for the request's config saved at `configPath`:
  // `--workspace W run CONFIG [--base-dir DIR]` and the target's own runOptions().
  QStringList startArguments(const QString& configPath, const LaunchRequest& request) const;

 protected:
  // Appended to `astro run CONFIG ...`: none on this machine, `--on NAME` for a host profile.
  virtual QStringList runOptions() const { return {}; }
  // Which of the workspace's runs findRunning reports. It is called on a pool thread and must not
  // touch the target (it may be gone by then): capture values.
  using RunningFilter = std::function<bool(const RunSummary& run)>;
  virtual RunningFilter runningFilter() const = 0;

 private:
  // Starts `astro run` on the written config (on the GUI thread, after the pool wrote it).
  void startWorker(const LaunchRequest& request, const QString& configPath, const QString& stem);
  QStringList runArguments(const QString& configPath, const LaunchRequest& request) const;
  void runCommand(const QString& verb, std::int64_t runId);

  std::filesystem::path workspace_;
  QString cliPath_;
  JobTracker findJobs_{this};
};

// Starts `astro --workspace W arguments...` detached, its output in <W>/launch/<stem>.out/.err;
// the command deletes itself once the process is gone. Null (with `error` set) when it could not
// be started.
DetachedCommand* startDetachedAstro(const QString& cliPath, const std::filesystem::path& workspace,
                                    QStringList arguments, const QString& stem, QObject* parent,
                                    QString* error);
// A stem for launch/ files: `name` kept to [A-Za-z0-9_.-], then the time to the millisecond.
QString launchFileStem(const QString& name);

// The `astro` program: $ASTRO_CLI, else `astro` beside this executable, else `astro` on PATH.
QString astroCliPath();

}  // namespace astro::gui
