// Reporting a run's events to the store and a sink (run_events.h).
#include "core/pipeline/run_events.h"

#include <cmath>

#include "core/pipeline/content_hash.h"

namespace astro::pipeline {

using store::EventKind;

RunEvents::RunEvents(store::Workspace& workspace, std::int64_t runId, EventSink sink,
                     std::chrono::milliseconds progressInterval)
    : workspace_(workspace),
      runId_(runId),
      sink_(std::move(sink)),
      progressInterval_(progressInterval) {}

store::Event RunEvents::emitInTransaction(EventKind kind, nlohmann::json payload,
                                          const std::function<void()>& alsoStore) {
  store::Event event;
  workspace_.transaction([&] {
    if (alsoStore) alsoStore();
    event = workspace_.events().append(runId_, {.kind = kind, .payload = std::move(payload)});
  });
  // Only after the commit: a reader of the sink never sees an event the store lost.
  if (sink_) sink_(event);
  return event;
}

store::Event RunEvents::emit(EventKind kind, nlohmann::json payload) {
  return emitInTransaction(kind, std::move(payload), {});
}

void RunEvents::log(const std::string& message, nlohmann::json extra) {
  extra["message"] = message;
  emit(EventKind::kLog, std::move(extra));
}

void RunEvents::error(const std::string& message, const std::string& stage) {
  nlohmann::json payload = {{"message", message}};
  if (!stage.empty()) payload["stage"] = stage;
  emit(EventKind::kError, std::move(payload));
}

void RunEvents::stageStarted(const store::Stage& stage, int stages, bool resumed) {
  session_.reset();
  emitInTransaction(EventKind::kStageStarted,
                    {{"stage", stage.kind},
                     {"position", stage.position},
                     {"stages", stages},
                     {"resumed", resumed}},
                    [&] {
                      workspace_.stages().markStarted(stage.id);
                      workspace_.runs().updateProgress(runId_, stage.kind, 0, 0);
                    });
}

void RunEvents::stageFinished(const store::Stage& stage, double seconds) {
  session_.reset();
  emitInTransaction(
      EventKind::kStageFinished,
      {{"stage", stage.kind},
       {"position", stage.position},
       {"seconds", std::round(seconds * 10) / 10}},
      [&] { workspace_.stages().markFinished(stage.id, store::StageStatus::kFinished); });
}

void RunEvents::progress(const std::string& stage, std::int64_t done, std::int64_t total,
                         const std::string& phase) {
  auto now = std::chrono::steady_clock::now();
  if (!session_ || session_->stage != stage || session_->phase != phase ||
      session_->total != total || done < session_->doneAtStart) {
    session_ = ProgressSession{
        .stage = stage, .phase = phase, .total = total, .doneAtStart = done, .started = now};
  }
  bool due =
      !session_->lastEmitted || now - *session_->lastEmitted >= progressInterval_ || done >= total;
  if (!due) return;
  session_->lastEmitted = now;
  nlohmann::json payload = {{"stage", stage}, {"done", done}, {"total", total}};
  if (!phase.empty()) payload["phase"] = phase;
  std::int64_t progressed = done - session_->doneAtStart;
  double elapsed = std::chrono::duration<double>(now - session_->started).count();
  if (progressed > 0 && total > done) {
    payload["eta_seconds"] = std::llround(elapsed / double(progressed) * double(total - done));
  } else if (done >= total) {
    payload["eta_seconds"] = 0;
  }  // else no pace yet: no ETA
  emitInTransaction(EventKind::kProgress, std::move(payload),
                    [&] { workspace_.runs().updateProgress(runId_, stage, done, total); });
}

void RunEvents::metric(const store::Stage& stage, const std::string& name, std::int64_t step,
                       double value) {
  if (!std::isfinite(value)) return;  // JSON has no NaN; a diverged loss shows as a gap
  std::string series = stage.kind + "/" + name;
  emitInTransaction(
      EventKind::kMetric,
      {{"stage", stage.kind}, {"name", series}, {"step", step}, {"value", value}}, [&] {
        store::MetricRow row{
            .runId = runId_, .stageId = stage.id, .step = step, .name = series, .value = value};
        workspace_.metrics().append(std::span<const store::MetricRow>(&row, 1));
      });
}

void RunEvents::artifact(const store::Stage& stage, const std::string& kind,
                         const std::filesystem::path& path) {
  ContentHash hash = hashPath(path);
  std::string stored = storedPath(path, workspace_.folder());
  emitInTransaction(EventKind::kArtifact,
                    {{"stage", stage.kind},
                     {"kind", kind},
                     {"path", stored},
                     {"sha256", hash.sha256},
                     {"size_bytes", hash.sizeBytes}},
                    [&] {
                      workspace_.artifacts().add({.runId = runId_,
                                                  .stageId = stage.id,
                                                  .kind = kind,
                                                  .path = stored,
                                                  .sha256 = hash.sha256,
                                                  .sizeBytes = hash.sizeBytes});
                    });
}

}  // namespace astro::pipeline
