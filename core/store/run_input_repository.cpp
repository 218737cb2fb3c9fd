// Inputs of pipeline runs (run_input_repository.h).
#include "core/store/run_input_repository.h"

#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

void RunInputRepository::record(const RunInput& input) {
  detail::Transaction transaction(connection_);
  detail::requireRun(connection_, input.runId);
  // The key holds a nullable stage: a UNIQUE constraint treats NULLs as distinct, so replace by
  // delete + insert inside the transaction instead of an upsert.
  auto remove = connection_.prepare(
      "DELETE FROM run_inputs WHERE run_id = ?1 AND stage_id IS ?2 AND name = ?3");
  remove.bindInteger(1, input.runId).bindOptionalInteger(2, input.stageId).bindText(3, input.name);
  remove.execute();
  auto insert = connection_.prepare(
      "INSERT INTO run_inputs (run_id, stage_id, name, path, sha256, size_bytes) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bindInteger(1, input.runId).bindOptionalInteger(2, input.stageId);
  insert.bindText(3, input.name).bindText(4, input.path).bindText(5, input.sha256);
  insert.bindInteger(6, input.sizeBytes);
  insert.execute();
  transaction.commit();
}

std::vector<RunInput> RunInputRepository::list(std::int64_t runId) {
  auto statement = connection_.prepare(
      "SELECT run_id, stage_id, name, path, sha256, size_bytes FROM run_inputs WHERE run_id = ?1 "
      "ORDER BY stage_id IS NOT NULL, stage_id, name");
  statement.bindInteger(1, runId);
  std::vector<RunInput> inputs;
  while (statement.step()) {
    inputs.push_back(RunInput{.runId = statement.integer(0),
                              .stageId = statement.optionalInteger(1),
                              .name = statement.text(2),
                              .path = statement.text(3),
                              .sha256 = statement.text(4),
                              .sizeBytes = statement.integer(5)});
  }
  return inputs;
}

}  // namespace astro::store
