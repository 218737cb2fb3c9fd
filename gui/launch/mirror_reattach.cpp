// Re-attaching the mirrors of a workspace's remote runs (mirror_reattach.h).
#include "gui/launch/mirror_reattach.h"

#include "gui/launch/cli_launch_target.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

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
          auto status = summary.run.status;
          if (!summary.remote ||
              (status != store::RunStatus::kRunning && status != store::RunStatus::kPending)) {
            continue;
          }
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
