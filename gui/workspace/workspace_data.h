// Value snapshots of a workspace read through core/store on a worker thread: runs with their
// stages, ETA and, for a run mirrored from a host, where it runs; one run's overview, and
// event-log increments. The GUI never holds a database
// handle; each read opens the workspace read-only and closes it.
#pragma once

#include <QString>
#include <QStringList>
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
  std::optional<store::RemoteRun> remote;  // a run that executes on a host profile
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
  std::optional<store::RemoteRun> remote;
  QString error;
};

// A read of a run's event log, with the run's state at the time of the read (for the progress
// bar): its row, the current stage's position among its stages, and a failed run's last error.
struct EventBatch {
  std::int64_t runId = 0;
  std::vector<store::Event> events;
  std::optional<store::Run> run;
  int stagePosition = 0;  // of run->currentStage among the run's stages; 0 when none
  int stageCount = 0;
  QString lastError;  // the message of a failed run's last error event
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
// The run's last `count` events (what a log opens on).
EventBatch readEventTail(const std::filesystem::path& folder, std::int64_t runId,
                         std::int64_t count);
// Up to `count` events just before `beforeSeq`, in seq order (the history a scroll up).
EventBatch readEventsBefore(const std::filesystem::path& folder, std::int64_t runId,
                            std::int64_t beforeSeq, std::int64_t count);
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
// Where a mirrored run runs, one fact a line: host profile (kind, destination) and remote run id,
// the Slurm job with its state and reason, the mirror's last contact and last error.
QStringList remoteRunLines(const store::RemoteRun& remote);

}  // namespace astro::gui
