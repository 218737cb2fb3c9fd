// A run's event log: numbered events (stage started/finished, progress, metric, artifact, log,
// error) with JSON payloads. Sequence numbers are per run, start at 1 and have no gaps, even with
// several processes appending at once, so a reader that holds events up to N asks for the rest
// with replay(run, N) and neither misses nor repeats one.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/store/timestamp.h"

namespace astro::store {

namespace detail {
class Connection;
}

enum class EventKind { kStageStarted, kStageFinished, kProgress, kMetric, kArtifact, kLog, kError };
std::string eventKindName(EventKind kind);          // "stage_started", "progress", ...
EventKind parseEventKind(const std::string& text);  // throws astro::Error naming the word

struct NewEvent {
  EventKind kind = EventKind::kLog;
  // stage_started/finished: {"stage"}; progress: {"done","total","eta_seconds"};
  // metric: {"name","step","value"}; artifact: {"kind","path"}; log/error: {"message"}.
  nlohmann::json payload = nlohmann::json::object();
};

struct Event {
  std::int64_t runId = 0;
  std::int64_t seq = 0;
  Timestamp time{};
  EventKind kind = EventKind::kLog;
  nlohmann::json payload{};
};

class EventLog {
 public:
  explicit EventLog(detail::Connection& connection) : connection_(connection) {}

  // Appends with seq = the run's last seq + 1, under BEGIN IMMEDIATE so concurrent appenders in
  // other processes queue instead of taking the same number. Returns the stored event.
  Event append(std::int64_t runId, const NewEvent& event);
  // Appends all in one transaction with consecutive seqs; returns the seq of the last one.
  std::int64_t appendAll(std::int64_t runId, const std::vector<NewEvent>& events);
  // A mirror's copy of another store's events, seq and time kept: each must be the run's next
  // seq (throws astro::Error naming both numbers otherwise). Joins the caller's transaction.
  void appendMirrored(std::int64_t runId, const std::vector<Event>& events);

  // Events with seq > sinceSeq in seq order, at most `limit` (0: all).
  std::vector<Event> replay(std::int64_t runId, std::int64_t sinceSeq = 0, std::int64_t limit = 0);
  // The last `count` events in seq order.
  std::vector<Event> last(std::int64_t runId, std::int64_t count);
  std::int64_t lastSeq(std::int64_t runId);  // 0 when the run has none
  // The run's latest event of `kind` (its last progress, for an ETA), or nullopt.
  std::optional<Event> lastOfKind(std::int64_t runId, EventKind kind);

 private:
  std::int64_t insert(std::int64_t runId, const NewEvent& event, std::int64_t time);
  detail::Connection& connection_;
};

}  // namespace astro::store
