// Stages of a run (stage_repository.h).
#include "core/store/stage_repository.h"

#include <array>
#include <utility>

#include "core/base/error.h"
#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {

constexpr std::array<std::pair<StageStatus, const char*>, 5> kStatusNames = {{
    {StageStatus::kPending, "pending"},
    {StageStatus::kRunning, "running"},
    {StageStatus::kFinished, "finished"},
    {StageStatus::kFailed, "failed"},
    {StageStatus::kSkipped, "skipped"},
}};

constexpr const char* kStageColumns =
    "id, run_id, position, kind, status, started, finished, checkpoint";

std::optional<Timestamp> optionalTime(const detail::Statement& row, int column) {
  std::optional<std::int64_t> milliseconds = row.optionalInteger(column);
  if (!milliseconds) return std::nullopt;
  return fromMilliseconds(*milliseconds);
}

Stage readStage(const detail::Statement& row) {
  return Stage{
      .id = row.integer(0),
      .runId = row.integer(1),
      .position = static_cast<int>(row.integer(2)),
      .kind = row.text(3),
      .status = parseStageStatus(row.text(4)),
      .started = optionalTime(row, 5),
      .finished = optionalTime(row, 6),
      .checkpoint = row.text(7),
  };
}

}  // namespace

std::string stageStatusName(StageStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "pending";
}

StageStatus parseStageStatus(const std::string& text) {
  for (const auto& [value, name] : kStatusNames) {
    if (text == name) return value;
  }
  throw Error("unknown stage status '" + text +
              "' (expected pending, running, finished, failed or skipped)");
}

Stage StageRepository::add(std::int64_t runId, const std::string& kind) {
  detail::Transaction transaction(connection_);
  detail::requireRun(connection_, runId);
  auto statement = connection_.prepare(
      "INSERT INTO stages (run_id, position, kind) "
      "SELECT ?1, COALESCE(MAX(position), 0) + 1, ?2 FROM stages WHERE run_id = ?1");
  statement.bindInteger(1, runId).bindText(2, kind);
  statement.execute();
  std::int64_t id = connection_.lastInsertRowId();
  transaction.commit();
  return get(id);
}

std::vector<Stage> StageRepository::list(std::int64_t runId) {
  auto statement = connection_.prepare(std::string("SELECT ") + kStageColumns +
                                       " FROM stages WHERE run_id = ?1 ORDER BY position");
  statement.bindInteger(1, runId);
  std::vector<Stage> stages;
  while (statement.step()) stages.push_back(readStage(statement));
  return stages;
}

Stage StageRepository::get(std::int64_t stageId) {
  auto statement =
      connection_.prepare(std::string("SELECT ") + kStageColumns + " FROM stages WHERE id = ?1");
  statement.bindInteger(1, stageId);
  if (!statement.step()) {
    throw Error("no stage " + std::to_string(stageId) + " in workspace " +
                connection_.file().parent_path().string());
  }
  return readStage(statement);
}

void StageRepository::mirror(std::int64_t stageId, const Stage& from) {
  auto statement = connection_.prepare(
      "UPDATE stages SET status = ?2, started = ?3, finished = ?4, checkpoint = ?5 WHERE id = ?1");
  statement.bindInteger(1, stageId).bindText(2, stageStatusName(from.status));
  std::optional<std::int64_t> started, finished;
  if (from.started) started = toMilliseconds(*from.started);
  if (from.finished) finished = toMilliseconds(*from.finished);
  statement.bindOptionalInteger(3, started).bindOptionalInteger(4, finished);
  statement.bindText(5, from.checkpoint);
  statement.execute();
  requireChanged(stageId);
}

void StageRepository::markStarted(std::int64_t stageId) {
  auto statement =
      connection_.prepare("UPDATE stages SET status = 'running', started = ?2 WHERE id = ?1");
  statement.bindInteger(1, stageId).bindInteger(2, toMilliseconds(currentTimestamp()));
  statement.execute();
  requireChanged(stageId);
}

void StageRepository::markFinished(std::int64_t stageId, StageStatus status) {
  if (status == StageStatus::kPending || status == StageStatus::kRunning) {
    throw Error("stage " + std::to_string(stageId) + " cannot finish with status '" +
                stageStatusName(status) + "'");
  }
  std::string name = stageStatusName(status);
  auto statement =
      connection_.prepare("UPDATE stages SET status = ?2, finished = ?3 WHERE id = ?1");
  statement.bindInteger(1, stageId).bindText(2, name);
  statement.bindInteger(3, toMilliseconds(currentTimestamp()));
  statement.execute();
  requireChanged(stageId);
}

void StageRepository::setCheckpoint(std::int64_t stageId, const std::string& checkpoint) {
  auto statement = connection_.prepare("UPDATE stages SET checkpoint = ?2 WHERE id = ?1");
  statement.bindInteger(1, stageId).bindText(2, checkpoint);
  statement.execute();
  requireChanged(stageId);
}

void StageRepository::requireChanged(std::int64_t stageId) {
  if (connection_.changes() == 0) get(stageId);  // throws "no stage N ..."
}

}  // namespace astro::store
