// Re-attaching the mirrors of a workspace's remote runs (mirror_reattach.h).
#include "gui/launch/mirror_reattach.h"

#include "gui/launch/cli_launch_target.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

namespace {

// Running or waiting to start, or a Slurm run between two jobs of its own (interrupted by a
// requeue or a preemption while its job waits to run again).
bool stillWorkedOn(const RunSummary& summary) {
  auto status = summary.run.status;
  if (status == store::RunStatus::kRunning || status == store::RunStatus::kPending) return true;
  const std::string& job = summary.remote->slurmState;
  return status == store::RunStatus::kInterrupted && summary.remote->kind == "slurm" &&
         (job == "PENDING" || job == "RUNNING" || job == "REQUEUED" || job == "COMPLETING" ||
          job == "SUSPENDED");
}

}  // namespace

MirrorReattach::MirrorReattach(QString cliPath, QObject* parent)
    : QObject(parent), cliPath_(std::move(cliPath)) {}

void MirrorReattach::reattach(const std::filesystem::path& workspace) {
  jobs_.start(
      [workspace](const std::atomic<bool>&) { return readWorkspaceSnapshot(workspace); },
      [this, workspace](WorkspaceSnapshot snapshot) {
        if (!snapshot.error.isEmpty()) {
          Q_EMIT failed(snapshot.error);
          return;
        }
        std::vector<std::int64_t> started;
        for (const RunSummary& summary : snapshot.runs) {
          if (!summary.remote || !stillWorkedOn(summary)) continue;
          QString id = QString::number(summary.run.id);
          QString error;
          if (!startDetachedAstro(
                  cliPath_, workspace, {QStringLiteral("remote"), QStringLiteral("mirror"), id},
                  launchFileStem(QStringLiteral("mirror-%1").arg(id)), this, &error)) {
            Q_EMIT failed(error);
            return;
          }
          started.push_back(summary.run.id);
        }
        Q_EMIT mirrorsStarted(started);
      });
}

}  // namespace astro::gui
