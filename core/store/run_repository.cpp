// Runs in the workspace (run_repository.h).
#include "core/store/run_repository.h"

#include <array>
#include <utility>

#include "core/base/error.h"
#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {

constexpr std::array<std::pair<RunStatus, const char*>, 6> kStatusNames = {{
    {RunStatus::kPending, "pending"},
    {RunStatus::kRunning, "running"},
    {RunStatus::kInterrupted, "interrupted"},
    {RunStatus::kFinished, "finished"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kCancelled, "cancelled"},
}};

constexpr const char* kRunColumns =
    "id, name, kind, status, config, host, current_stage, progress_done, progress_total, created, "
    "updated";

Run readRun(const detail::Statement& row) {
  return Run{
      .id = row.integer(0),
      .name = row.text(1),
      .kind = parseRunKind(row.text(2)),
      .status = parseRunStatus(row.text(3)),
      .config = row.text(4),
      .host = row.text(5),
      .currentStage = row.text(6),
      .progressDone = row.integer(7),
      .progressTotal = row.integer(8),
      .created = fromMilliseconds(row.integer(9)),
      .updated = fromMilliseconds(row.integer(10)),
  };
}

}  // namespace

std::string runKindName(RunKind kind) { return kind == RunKind::kNative ? "native" : "imported"; }

std::string runStatusName(RunStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "pending";
}

RunKind parseRunKind(const std::string& text) {
  if (text == "native") return RunKind::kNative;
  if (text == "imported") return RunKind::kImported;
  throw Error("unknown run kind '" + text + "' (expected native or imported)");
}

RunStatus parseRunStatus(const std::string& text) {
  for (const auto& [value, name] : kStatusNames) {
    if (text == name) return value;
  }
  throw Error("unknown run status '" + text +
              "' (expected pending, running, interrupted, finished, failed or cancelled)");
}

Run RunRepository::create(const NewRun& run) {
  std::int64_t now = toMilliseconds(currentTimestamp());
  std::string kind = runKindName(run.kind);
  auto statement = connection_.prepare(
      "INSERT INTO runs (name, kind, config, host, created, updated) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
  statement.bindText(1, run.name).bindText(2, kind).bindText(3, run.config);
  statement.bindText(4, run.host).bindInteger(5, now);
  statement.execute();
  return get(connection_.lastInsertRowId());
}

std::optional<Run> RunRepository::find(std::int64_t id) {
  auto statement =
      connection_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1");
  statement.bindInteger(1, id);
  if (!statement.step()) return std::nullopt;
  return readRun(statement);
}

Run RunRepository::get(std::int64_t id) {
  std::optional<Run> run = find(id);
  if (!run) detail::throwNoRun(connection_, id);
  return *run;
}

std::vector<Run> RunRepository::list() {
  auto statement =
      connection_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id");
  std::vector<Run> runs;
  while (statement.step()) runs.push_back(readRun(statement));
  return runs;
}

void RunRepository::updateStatus(std::int64_t id, RunStatus status) {
  std::string name = runStatusName(status);
  auto statement = connection_.prepare("UPDATE runs SET status = ?2, updated = ?3 WHERE id = ?1");
  statement.bindInteger(1, id).bindText(2, name);
  statement.bindInteger(3, toMilliseconds(currentTimestamp()));
  statement.execute();
  if (connection_.changes() == 0) detail::throwNoRun(connection_, id);
}

void RunRepository::updateProgress(std::int64_t id, const std::string& currentStage,
                                   std::int64_t done, std::int64_t total) {
  auto statement = connection_.prepare(
      "UPDATE runs SET current_stage = ?2, progress_done = ?3, progress_total = ?4, updated = ?5 "
      "WHERE id = ?1");
  statement.bindInteger(1, id).bindText(2, currentStage).bindInteger(3, done);
  statement.bindInteger(4, total).bindInteger(5, toMilliseconds(currentTimestamp()));
  statement.execute();
  if (connection_.changes() == 0) detail::throwNoRun(connection_, id);
}

void RunRepository::remove(std::int64_t id) {
  auto statement = connection_.prepare("DELETE FROM runs WHERE id = ?1");
  statement.bindInteger(1, id);
  statement.execute();
  if (connection_.changes() == 0) detail::throwNoRun(connection_, id);
}

}  // namespace astro::store
