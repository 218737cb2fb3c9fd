#include "gui/workspace/run_contents.h"

#include <QObject>
#include <algorithm>
#include <map>

#include "core/base/workspace_paths.h"
#include "core/store/workspace.h"
#include "gui/charts/checkpoint_points.h"

namespace astro::gui {
namespace {

QString formatBytes(std::int64_t bytes) {
  if (bytes < 1024) return QStringLiteral("%1 B").arg(bytes);
  if (bytes < 1024 * 1024) return QStringLiteral("%1 KiB").arg(bytes / 1024.0, 0, 'f', 1);
  return QStringLiteral("%1 MiB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
}

}  // namespace

RunContents readRunContents(const std::filesystem::path& folder, std::int64_t runId) {
  RunContents contents{.runId = runId};
  try {
    if (!std::filesystem::exists(workspaceDatabasePath(folder))) return contents;
    auto workspace = store::Workspace::open(
        folder, {.readOnly = true, .quickCheckMaxBytes = 0, .migrateOlder = true});
    bool mirrored = workspace.remoteRuns().find(runId).has_value();
    for (const auto& artifact : workspace.artifacts().list(runId)) {
      if (artifact.kind != "checkpoint" && artifact.kind != "model") continue;
      QString path = QString::fromStdString(artifact.path);
      // As `astro fetch --list` tells: a mirrored run's files are here once fetched.
      bool onHost = mirrored && !std::filesystem::exists(folder / artifact.path);
      QString detail = QStringLiteral("%1 · %2").arg(QString::fromStdString(artifact.kind),
                                                     formatBytes(artifact.sizeBytes));
      QString tooltip =
          QStringLiteral("%1\nSHA-256 %2").arg(path, QString::fromStdString(artifact.sha256));
      if (onHost) {
        detail += QObject::tr(" · on host");
        tooltip +=
            QObject::tr("\nStill on the run's host: Fetch from Host (right-click) copies it");
      }
      contents.checkpoints.push_back({.name = path,
                                      .detail = detail,
                                      .tooltip = tooltip,
                                      .artifactId = artifact.id,
                                      .onHost = onHost});
    }
    // (checkpoint, benchmark) -> evaluation, in the order first seen.
    std::map<std::pair<QString, QString>, std::size_t> byKey;
    auto evaluation = [&](const QString& checkpoint, const QString& benchmark) -> RunEvaluation& {
      auto [it, added] = byKey.try_emplace({checkpoint, benchmark}, contents.evaluations.size());
      if (added) contents.evaluations.push_back({.checkpoint = checkpoint, .benchmark = benchmark});
      return contents.evaluations[it->second];
    };
    for (const auto& info : workspace.samples().sets(runId)) {
      if (info.set.kind != store::SampleKind::kEval) continue;
      auto& one = evaluation(QString::fromStdString(info.set.checkpoint),
                             QString::fromStdString(info.set.benchmark));
      one.samples += info.samples;
      one.correct += info.correct;
    }
    std::vector<MetricSeries> series;
    for (const auto& info : workspace.metrics().seriesInfo(runId)) {
      if (!isCheckpointMetric(info.name)) continue;
      series.push_back({.runId = runId,
                        .name = info.name,
                        .points = workspace.metrics().series(runId, info.name)});
    }
    for (const auto& point : pointsFromMetrics(series)) {
      evaluation(point.checkpoint, point.benchmark).accuracy = point.accuracy;
    }
    if (contents.checkpoints.empty()) {
      std::vector<QString> seen;
      for (const auto& one : contents.evaluations) {
        if (std::find(seen.begin(), seen.end(), one.checkpoint) != seen.end()) continue;
        seen.push_back(one.checkpoint);
        contents.checkpoints.push_back(
            {.name = one.checkpoint,
             .detail = QStringLiteral("evaluated"),
             .tooltip = QStringLiteral("checkpoint %1").arg(one.checkpoint)});
      }
    }
  } catch (const std::exception& error) {
    contents.error = QString::fromStdString(error.what());
  }
  return contents;
}

}  // namespace astro::gui
