// The run event log (event_log.h).
#include "core/store/event_log.h"

#include <array>
#include <utility>

#include "core/base/error.h"
#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {

constexpr std::array<std::pair<EventKind, const char*>, 7> kKindNames = {{
    {EventKind::kStageStarted, "stage_started"},
    {EventKind::kStageFinished, "stage_finished"},
    {EventKind::kProgress, "progress"},
    {EventKind::kMetric, "metric"},
    {EventKind::kArtifact, "artifact"},
    {EventKind::kLog, "log"},
    {EventKind::kError, "error"},
}};

Event readEvent(const detail::Statement& row) {
  return Event{
      .runId = row.integer(0),
      .seq = row.integer(1),
      .time = fromMilliseconds(row.integer(2)),
      .kind = parseEventKind(row.text(3)),
      .payload = nlohmann::json::parse(row.text(4)),
  };
}

}  // namespace

std::string eventKindName(EventKind kind) {
  for (const auto& [value, name] : kKindNames) {
    if (value == kind) return name;
  }
  return "log";
}

EventKind parseEventKind(const std::string& text) {
  for (const auto& [value, name] : kKindNames) {
    if (text == name) return value;
  }
  throw Error("unknown event kind '" + text + "'");
}

std::int64_t EventLog::insert(std::int64_t runId, const NewEvent& event, std::int64_t time) {
  std::string kind = eventKindName(event.kind);
  std::string payload = event.payload.dump();
  // The seq is computed inside the INSERT, which runs under the caller's write lock.
  auto statement = connection_.prepare(
      "INSERT INTO events (run_id, seq, time, kind, payload) "
      "SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4 FROM events WHERE run_id = ?1 "
      "RETURNING seq");
  statement.bindInteger(1, runId).bindInteger(2, time).bindText(3, kind).bindText(4, payload);
  statement.step();
  std::int64_t seq = statement.integer(0);
  statement.execute();  // finishes the RETURNING statement
  return seq;
}

void EventLog::appendMirrored(std::int64_t runId, const std::vector<Event>& events) {
  if (events.empty()) return;
  detail::Transaction transaction(connection_);
  detail::requireRun(connection_, runId);
  for (const Event& event : events) {
    std::int64_t seq =
        insert(runId, {.kind = event.kind, .payload = event.payload}, toMilliseconds(event.time));
    if (seq != event.seq) {
      throw Error("run " + std::to_string(runId) + ": mirrored event " +
                  std::to_string(event.seq) + " would be seq " + std::to_string(seq) +
                  " here; the mirror and its cursor disagree");
    }
  }
  transaction.commit();
}

Event EventLog::append(std::int64_t runId, const NewEvent& event) {
  std::int64_t time = toMilliseconds(currentTimestamp());
  detail::Transaction transaction(connection_);
  detail::requireRun(connection_, runId);
  std::int64_t seq = insert(runId, event, time);
  transaction.commit();
  return Event{.runId = runId,
               .seq = seq,
               .time = fromMilliseconds(time),
               .kind = event.kind,
               .payload = event.payload};
}

std::int64_t EventLog::appendAll(std::int64_t runId, const std::vector<NewEvent>& events) {
  std::int64_t time = toMilliseconds(currentTimestamp());
  detail::Transaction transaction(connection_);
  detail::requireRun(connection_, runId);
  std::int64_t seq = 0;
  for (const NewEvent& event : events) seq = insert(runId, event, time);
  transaction.commit();
  return seq;
}

std::vector<Event> EventLog::replay(std::int64_t runId, std::int64_t sinceSeq, std::int64_t limit) {
  auto statement = connection_.prepare(
      "SELECT run_id, seq, time, kind, payload FROM events WHERE run_id = ?1 AND seq > ?2 "
      "ORDER BY seq LIMIT ?3");
  statement.bindInteger(1, runId).bindInteger(2, sinceSeq).bindInteger(3, limit > 0 ? limit : -1);
  std::vector<Event> events;
  while (statement.step()) events.push_back(readEvent(statement));
  return events;
}

std::vector<Event> EventLog::last(std::int64_t runId, std::int64_t count) {
  // One statement, so the count and the rows come from the same snapshot.
  auto statement = connection_.prepare(
      "SELECT run_id, seq, time, kind, payload FROM events WHERE run_id = ?1 AND seq > "
      "(SELECT COALESCE(MAX(seq), 0) - ?2 FROM events WHERE run_id = ?1) ORDER BY seq");
  statement.bindInteger(1, runId).bindInteger(2, count);
  std::vector<Event> events;
  while (statement.step()) events.push_back(readEvent(statement));
  return events;
}

std::int64_t EventLog::lastSeq(std::int64_t runId) {
  auto statement =
      connection_.prepare("SELECT COALESCE(MAX(seq), 0) FROM events WHERE run_id = ?1");
  statement.bindInteger(1, runId);
  statement.step();
  return statement.integer(0);
}

std::optional<Event> EventLog::lastOfKind(std::int64_t runId, EventKind kind) {
  // Walks the (run_id, seq) index backwards: cheap while such events are recent.
  auto statement = connection_.prepare(
      "SELECT run_id, seq, time, kind, payload FROM events WHERE run_id = ?1 AND kind = ?2 "
      "ORDER BY seq DESC LIMIT 1");
  std::string name = eventKindName(kind);
  statement.bindInteger(1, runId).bindText(2, name);
  if (!statement.step()) return std::nullopt;
  return readEvent(statement);
}

}  // namespace astro::store
