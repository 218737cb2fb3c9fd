#include "gui/launch/local_launch_target.h"

#include <QFile>

#include "gui/launch/detached_command.h"

namespace astro::gui {

namespace {

// The pid in runs/<id>/worker.lock when that process still runs.
bool workerAlive(const std::filesystem::path& workspace, std::int64_t runId) {
  QFile lock(QString::fromStdString(
      (workspace / "runs" / std::to_string(runId) / "worker.lock").string()));
  if (!lock.open(QIODevice::ReadOnly)) return false;
  bool ok = false;
  qint64 pid = QString::fromLatin1(lock.read(64)).trimmed().toLongLong(&ok);
  return ok && processAlive(pid);
}

}  // namespace

QString LocalLaunchTarget::description() const { return tr("this machine"); }

CliLaunchTarget::RunningFilter LocalLaunchTarget::runningFilter() const {
  return [folder = workspace()](const RunSummary& summary) {
    // The store still says running after a kill; a live worker holds the run's lock.
    return summary.run.status == store::RunStatus::kRunning && workerAlive(folder, summary.run.id);
  };
}

}  // namespace astro::gui
