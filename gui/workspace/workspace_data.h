// Value snapshots of a workspace read through core/store on a worker thread: runs with their
// stages and ETA, one run's overview, and event-log increments. The GUI never holds a database
// handle; each read opens the workspace read-only and closes it.
#pragma once

#include <QString>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/store/workspace.h"

namespace astro::gui {

struct RunSummary {
  store::Run run;
  std::vector<store::Stage> stages;
  std::optional<double> etaSeconds;  // from the last progress event, else the progress rate
};

struct WorkspaceSnapshot {
  std::vector<RunSummary> runs;
  QString error;  // non-empty when the workspace could not be read
};

struct LatestMetric {
  std::string name;
  std::int64_t step = 0;
  double value = 0.0;
  std::int64_t points = 0;
};

struct RunOverview {
  store::Run run;
  std::vector<store::Stage> stages;
  std::vector<LatestMetric> metrics;
  std::vector<store::Artifact> artifacts;
  std::vector<store::Dataset> datasets;
  QString error;
};

struct EventBatch {
  std::int64_t runId = 0;
  std::vector<store::Event> events;
  QString error;
};

struct MetricSeries {
  std::int64_t runId = 0;
  std::string runName;
  std::string name;
  std::vector<store::MetricPoint> points;
};

// Every read below returns an empty value with `error` set instead of throwing, and treats a
// folder without workspace.sqlite as an empty workspace.
WorkspaceSnapshot readWorkspaceSnapshot(const std::filesystem::path& folder);
RunOverview readRunOverview(const std::filesystem::path& folder, std::int64_t runId);
EventBatch readEventsSince(const std::filesystem::path& folder, std::int64_t runId,
                           std::int64_t sinceSeq, std::int64_t limit = 2000);
// Series of `names` for each run (missing ones are skipped); throws astro::Error.
std::vector<MetricSeries> readMetricSeries(const std::filesystem::path& folder,
                                           const std::vector<std::int64_t>& runIds,
                                           const std::vector<std::string>& names);
// Distinct metric names of the runs, sorted.
std::vector<std::string> readMetricNames(const std::filesystem::path& folder,
                                         const std::vector<std::int64_t>& runIds);

// One line per event: "#seq time kind  payload summary".
QString formatEvent(const store::Event& event);
QString formatDuration(double seconds);

}  // namespace astro::gui
