#include "gui/workspace/workspace_data.h"

#include <QDateTime>
#include <QObject>
#include <QTimeZone>
#include <algorithm>
#include <cmath>
#include <map>
#include <ranges>
#include <set>

#include "core/base/workspace_paths.h"

namespace astro::gui {
namespace {

std::optional<store::Workspace> openForReading(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(workspaceDatabasePath(folder))) return std::nullopt;
  // quick_check reads every page: fine for the CLI, too slow for a poll every second.
  return store::Workspace::open(folder, {.readOnly = true, .quickCheckMaxBytes = 0, .migrateOlder = true});
}

std::optional<double> estimateEta(store::Workspace& workspace, const store::Run& run) {
  if (run.status != store::RunStatus::kRunning) return std::nullopt;
  for (const auto& event : workspace.events().last(run.id, 50) | std::views::reverse) {
    if (event.kind == store::EventKind::kProgress && event.payload.contains("eta_seconds") &&
        event.payload["eta_seconds"].is_number()) {
      return event.payload["eta_seconds"].get<double>();
    }
  }
  if (run.progressDone <= 0 || run.progressTotal <= run.progressDone) return std::nullopt;
  double elapsed = (store::toMilliseconds(run.updated) - store::toMilliseconds(run.created)) / 1e3;
  return elapsed / run.progressDone * (run.progressTotal - run.progressDone);
}

}  // namespace

WorkspaceSnapshot readWorkspaceSnapshot(const std::filesystem::path& folder) {
  WorkspaceSnapshot snapshot;
  try {
    auto workspace = openForReading(folder);
    if (!workspace) return snapshot;
    std::map<std::int64_t, store::RemoteRun> remotes;
    for (auto& remote : workspace->remoteRuns().list()) remotes[remote.runId] = std::move(remote);
    for (auto& run : workspace->runs().list()) {
      RunSummary summary{.run = run, .stages = workspace->stages().list(run.id)};
      summary.etaSeconds = estimateEta(*workspace, run);
      if (auto found = remotes.find(run.id); found != remotes.end()) summary.remote = found->second;
      snapshot.runs.push_back(std::move(summary));
    }
  } catch (const std::exception& error) {
    snapshot.error = QString::fromStdString(error.what());
  }
  return snapshot;
}

RunOverview readRunOverview(const std::filesystem::path& folder, std::int64_t runId) {
  RunOverview overview;
  try {
    auto workspace = openForReading(folder);
    if (!workspace) throw std::runtime_error("no workspace database in " + folder.string());
    overview.run = workspace->runs().get(runId);
    overview.stages = workspace->stages().list(runId);
    auto metrics = workspace->metrics();
    for (const auto& info : metrics.seriesInfo(runId)) {
      auto series = metrics.series(runId, info.name);
      if (series.empty()) continue;
      overview.metrics.push_back({.name = info.name,
                                  .step = series.back().step,
                                  .value = series.back().value,
                                  .points = info.count});
    }
    overview.artifacts = workspace->artifacts().list(runId);
    overview.datasets = workspace->datasets().list();
    overview.remote = workspace->remoteRuns().find(runId);
  } catch (const std::exception& error) {
    overview.error = QString::fromStdString(error.what());
  }
  return overview;
}

namespace {

void readRunState(store::Workspace& workspace, EventBatch& batch) {
  batch.run = workspace.runs().find(batch.runId);
  if (!batch.run) return;
  auto stages = workspace.stages().list(batch.runId);
  batch.stageCount = static_cast<int>(stages.size());
  for (const auto& stage : stages) {
    if (stage.kind == batch.run->currentStage) batch.stagePosition = stage.position;
  }
  if (batch.run->status != store::RunStatus::kFailed) return;
  if (auto error = workspace.events().lastOfKind(batch.runId, store::EventKind::kError)) {
    const auto& payload = error->payload;
    batch.lastError = payload.contains("message") && payload["message"].is_string()
                          ? QString::fromStdString(payload["message"].get<std::string>())
                          : QString::fromStdString(payload.dump());
  }
}

// Opens the workspace, reads the events `read` picks and the run's state; errors land in `error`.
template <typename Read>
EventBatch readEvents(const std::filesystem::path& folder, std::int64_t runId, Read read) {
  EventBatch batch{.runId = runId};
  try {
    auto workspace = openForReading(folder);
    if (!workspace) return batch;
    batch.events = read(workspace->events());
    readRunState(*workspace, batch);
  } catch (const std::exception& error) {
    batch.events.clear();
    batch.error = QString::fromStdString(error.what());
  }
  return batch;
}

}  // namespace

EventBatch readEventsSince(const std::filesystem::path& folder, std::int64_t runId,
                           std::int64_t sinceSeq, std::int64_t limit) {
  return readEvents(folder, runId,
                    [&](store::EventLog log) { return log.replay(runId, sinceSeq, limit); });
}

EventBatch readEventTail(const std::filesystem::path& folder, std::int64_t runId,
                         std::int64_t count) {
  return readEvents(folder, runId, [&](store::EventLog log) { return log.last(runId, count); });
}

EventBatch readEventsBefore(const std::filesystem::path& folder, std::int64_t runId,
                            std::int64_t beforeSeq, std::int64_t count) {
  std::int64_t since = std::max<std::int64_t>(0, beforeSeq - 1 - count);
  return readEvents(folder, runId, [&](store::EventLog log) {
    return beforeSeq <= 1 ? std::vector<store::Event>{}
                          : log.replay(runId, since, beforeSeq - 1 - since);
  });
}

std::vector<MetricSeries> readMetricSeries(const std::filesystem::path& folder,
                                           const std::vector<std::int64_t>& runIds,
                                           const std::vector<std::string>& names) {
  std::vector<MetricSeries> result;
  auto workspace = openForReading(folder);
  if (!workspace) return result;
  for (auto runId : runIds) {
    auto run = workspace->runs().get(runId);
    for (const auto& name : names) {
      auto points = workspace->metrics().series(runId, name);
      if (points.empty()) continue;
      result.push_back(
          {.runId = runId, .runName = run.name, .name = name, .points = std::move(points)});
    }
  }
  return result;
}

std::vector<std::string> readMetricNames(const std::filesystem::path& folder,
                                         const std::vector<std::int64_t>& runIds) {
  std::set<std::string> names;
  auto workspace = openForReading(folder);
  if (!workspace) return {};
  for (auto runId : runIds) {
    for (const auto& info : workspace->metrics().seriesInfo(runId)) names.insert(info.name);
  }
  return {names.begin(), names.end()};
}

QString formatEvent(const store::Event& event) {
  QString time = QDateTime::fromMSecsSinceEpoch(store::toMilliseconds(event.time), Qt::UTC)
                     .toString("HH:mm:ss");
  const auto& payload = event.payload;
  QString detail;
  if (payload.contains("message") && payload["message"].is_string()) {
    detail = QString::fromStdString(payload["message"].get<std::string>());
  } else {
    detail = QString::fromStdString(payload.dump());
  }
  return QStringLiteral("#%1 %2 %3  %4")
      .arg(event.seq)
      .arg(time, QString::fromStdString(store::eventKindName(event.kind)), detail);
}

QString formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("—");
  auto total = static_cast<qint64>(std::llround(seconds));
  if (total < 60) return QStringLiteral("%1 s").arg(total);
  if (total < 3600) return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60);
  return QStringLiteral("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60);
}

QStringList remoteRunLines(const store::RemoteRun& remote) {
  auto text = [](const std::string& value) { return QString::fromStdString(value); };
  bool slurm = remote.kind == "slurm";
  QStringList lines;
  lines << QObject::tr("Runs on %1 (%2 %3) as run %4 in %5")
               .arg(text(remote.profile), slurm ? QObject::tr("Slurm via") : QObject::tr("SSH"),
                    text(remote.destination))
               .arg(remote.remoteRunId)
               .arg(text(remote.remoteWorkspace));
  if (slurm) {
    QString job = remote.slurmJobId.empty() ? QObject::tr("not submitted yet")
                                            : QObject::tr("job %1").arg(text(remote.slurmJobId));
    QString state =
        remote.slurmState.empty() ? QObject::tr("state not seen yet") : text(remote.slurmState);
    if (!remote.slurmReason.empty()) state += QStringLiteral(" (%1)").arg(text(remote.slurmReason));
    lines << QObject::tr("Slurm %1: %2").arg(job, state);
  }
  lines << (remote.lastContact ? QObject::tr("Last contact %1")
                                     .arg(text(store::formatTimestamp(*remote.lastContact)))
                               : QObject::tr("No contact yet"));
  if (!remote.lastError.empty()) lines << QObject::tr("Last error: %1").arg(text(remote.lastError));
  return lines;
}

}  // namespace astro::gui
