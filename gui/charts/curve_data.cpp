// Reading the runs' training curves and their times (curve_data.h).
#include "gui/charts/curve_data.h"

#include <QObject>
#include <algorithm>
#include <map>
#include <utility>

#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/store/workspace.h"
#include "gui/charts/checkpoint_points.h"

namespace astro::gui {
namespace {

using TimeKey = std::pair<std::string, std::int64_t>;  // (metric, step)

// The time of every metric event of the run, by (metric, step); a step logged twice keeps the
// last time, as the metrics table keeps the last value.
std::map<TimeKey, double> metricTimes(store::Workspace& workspace, std::int64_t runId) {
  std::map<TimeKey, double> times;
  for (const auto& event : workspace.events().replay(runId)) {
    if (event.kind != store::EventKind::kMetric) continue;
    const auto& payload = event.payload;
    if (!payload.contains("name") || !payload.contains("step")) continue;
    if (!payload["name"].is_string() || !payload["step"].is_number_integer()) continue;
    times[{payload["name"].get<std::string>(), payload["step"].get<std::int64_t>()}] =
        static_cast<double>(store::toMilliseconds(event.time));
  }
  return times;
}

void attachTimes(store::Workspace& workspace, CurveSet& set, const std::atomic<bool>& cancel) {
  std::int64_t timedRun = -1;
  std::map<TimeKey, double> times;
  for (auto& curve : set.curves) {
    if (cancel) return;
    if (curve.runId != timedRun) {
      times = metricTimes(workspace, curve.runId);
      timedRun = curve.runId;
    }
    std::string name = curve.metric.toStdString();
    std::vector<double> curveTimes;
    curveTimes.reserve(curve.steps.size());
    for (auto step : curve.steps) {
      auto found = times.find({name, step});
      if (found == times.end()) break;
      curveTimes.push_back(found->second);
    }
    if (curveTimes.size() == curve.steps.size()) curve.timesMs = std::move(curveTimes);
  }
  set.timesRead = true;
}

void readRun(store::Workspace& workspace, std::int64_t runId, const CurveReadOptions& options,
             CurveSet& set) {
  auto run = workspace.runs().get(runId);
  for (const auto& stage : workspace.stages().list(runId)) {
    QString kind = QString::fromStdString(stage.kind);
    if (std::find(set.stageOrder.begin(), set.stageOrder.end(), kind) == set.stageOrder.end())
      set.stageOrder.push_back(kind);
  }
  for (const auto& info : workspace.metrics().seriesInfo(runId)) {
    if (!options.includeCheckpointMetrics && isCheckpointMetric(info.name)) continue;
    RawCurve curve{.runId = runId,
                   .runName = QString::fromStdString(run.name),
                   .metric = QString::fromStdString(info.name)};
    auto points = workspace.metrics().series(runId, info.name);
    curve.steps.reserve(points.size());
    curve.values.reserve(points.size());
    for (const auto& point : points) {
      curve.steps.push_back(point.step);
      curve.values.push_back(point.value);
    }
    set.curves.push_back(std::move(curve));
  }
}

}  // namespace

CurveSet readCurveSet(const std::filesystem::path& folder, const std::vector<std::int64_t>& runIds,
                      const CurveReadOptions& options, const std::atomic<bool>& cancel) {
  CurveSet set;
  if (runIds.empty()) return set;
  try {
    if (!std::filesystem::exists(workspaceDatabasePath(folder))) {
      throw Error("no workspace database in " + folder.string());
    }
    // quick_check reads every page: too slow for a view that reloads on every selection.
    auto workspace = store::Workspace::open(
        folder, {.readOnly = true, .quickCheckMaxBytes = 0, .migrateOlder = true});
    for (auto runId : runIds) {
      if (cancel) return set;
      readRun(workspace, runId, options, set);
    }
    if (options.withTimes && !cancel) attachTimes(workspace, set, cancel);
  } catch (const std::exception& error) {
    set.curves.clear();
    set.error = QObject::tr("Cannot read the training curves from %1: %2")
                    .arg(QString::fromStdString(folder.string()), QString::fromUtf8(error.what()));
  }
  return set;
}

QString stageOfMetric(const QString& metric) {
  qsizetype slash = metric.indexOf(QLatin1Char('/'));
  return slash > 0 ? metric.left(slash) : QStringLiteral("other");
}

}  // namespace astro::gui
