// The training curves of a set of runs as read from the workspace on a worker thread: every
// metric series of every run at full resolution, with the wall-clock time of each point where
// the run's event log has it. The pipeline logs each metric point as a "metric" event in the same
// transaction as the point (core/pipeline/run_events.cpp), so the event's time is when the point
// was logged; series written without events (imported runs, bulk appends) have no times.
#pragma once

#include <QString>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace astro::gui {

struct RawCurve {
  std::int64_t runId = 0;
  QString runName;
  QString metric;  // "sft/loss"
  std::vector<std::int64_t> steps;
  std::vector<double> values;
  // Milliseconds since the epoch per point, from the point's metric event; empty when the run's
  // log has no event for some point of the series.
  std::vector<double> timesMs;
};

struct CurveSet {
  std::vector<RawCurve> curves;  // by run (in the order asked), then metric name
  QString error;                 // why the workspace could not be read; curves empty then
  // Stage kinds in pipeline order over the runs (first run first): the panel's group order.
  std::vector<QString> stageOrder;
  bool timesRead = false;  // whether the event logs were read for times
};

struct CurveReadOptions {
  bool withTimes = false;  // also read the runs' event logs for wall-clock times
  // Metrics the checkpoint charts show (eval/*, <stage>/<benchmark>/<checkpoint>/...): a point
  // per checkpoint, not a training curve.
  bool includeCheckpointMetrics = false;
};

// Every metric of the runs; never throws (a read error lands in `error`). Returns early, with
// what it has, when `cancel` is raised.
CurveSet readCurveSet(const std::filesystem::path& folder, const std::vector<std::int64_t>& runIds,
                      const CurveReadOptions& options, const std::atomic<bool>& cancel);

// The stage a metric belongs to, its first path component: "pretrain-base/loss" ->
// "pretrain-base"; a name without "/" belongs to "other".
QString stageOfMetric(const QString& metric);

}  // namespace astro::gui
