// Mirrored runs and their cursors (remote_run_repository.h).
#include "core/store/remote_run_repository.h"

#include "core/base/error.h"
#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {
constexpr const char* kColumns =
    "run_id, profile, kind, destination, remote_workspace, remote_run_id, slurm_job_id, "
    "slurm_state, slurm_reason, cursor_seq, cursor_tree, cursor_sample, last_contact, last_error";

RemoteRun readRemoteRun(const detail::Statement& row) {
  RemoteRun run{
      .runId = row.integer(0),
      .profile = row.text(1),
      .kind = row.text(2),
      .destination = row.text(3),
      .remoteWorkspace = row.text(4),
      .remoteRunId = row.integer(5),
      .slurmJobId = row.text(6),
      .slurmState = row.text(7),
      .slurmReason = row.text(8),
      .cursor = {.seq = row.integer(9), .tree = row.integer(10), .sample = row.integer(11)},
      .lastError = row.text(13),
  };
  if (auto contact = row.optionalInteger(12)) run.lastContact = fromMilliseconds(*contact);
  return run;
}

void requireUpdated(detail::Connection& connection, std::int64_t runId) {
  if (connection.changes() == 0) {
    throw Error("run " + std::to_string(runId) + " is not a remote run");
  }
}
}  // namespace

void RemoteRunRepository::add(const RemoteRun& run) {
  detail::Transaction transaction(connection_);
  detail::requireRun(connection_, run.runId);
  auto insert = connection_.prepare(
      "INSERT INTO remote_runs (run_id, profile, kind, destination, remote_workspace, "
      "remote_run_id, slurm_job_id, slurm_state, slurm_reason, cursor_seq, cursor_tree, "
      "cursor_sample) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  insert.bindInteger(1, run.runId).bindText(2, run.profile).bindText(3, run.kind);
  insert.bindText(4, run.destination).bindText(5, run.remoteWorkspace);
  insert.bindInteger(6, run.remoteRunId).bindText(7, run.slurmJobId);
  insert.bindText(8, run.slurmState).bindText(9, run.slurmReason);
  insert.bindInteger(10, run.cursor.seq).bindInteger(11, run.cursor.tree);
  insert.bindInteger(12, run.cursor.sample);
  insert.execute();
  transaction.commit();
}

std::optional<RemoteRun> RemoteRunRepository::find(std::int64_t runId) {
  auto statement = connection_.prepare(std::string("SELECT ") + kColumns +
                                       " FROM remote_runs WHERE run_id = ?1");
  statement.bindInteger(1, runId);
  if (!statement.step()) return std::nullopt;
  return readRemoteRun(statement);
}

std::vector<RemoteRun> RemoteRunRepository::list() {
  auto statement =
      connection_.prepare(std::string("SELECT ") + kColumns + " FROM remote_runs ORDER BY run_id");
  std::vector<RemoteRun> runs;
  while (statement.step()) runs.push_back(readRemoteRun(statement));
  return runs;
}

void RemoteRunRepository::setCursor(std::int64_t runId, const MirrorCursor& cursor) {
  auto update = connection_.prepare(
      "UPDATE remote_runs SET cursor_seq = ?2, cursor_tree = ?3, cursor_sample = ?4, "
      "last_contact = ?5, last_error = '' WHERE run_id = ?1");
  update.bindInteger(1, runId).bindInteger(2, cursor.seq).bindInteger(3, cursor.tree);
  update.bindInteger(4, cursor.sample).bindInteger(5, toMilliseconds(currentTimestamp()));
  update.execute();
  requireUpdated(connection_, runId);
}

void RemoteRunRepository::setSlurmJob(std::int64_t runId, const std::string& jobId,
                                      const std::string& state, const std::string& reason) {
  auto update = connection_.prepare(
      "UPDATE remote_runs SET slurm_job_id = ?2, slurm_state = ?3, slurm_reason = ?4 "
      "WHERE run_id = ?1");
  update.bindInteger(1, runId).bindText(2, jobId).bindText(3, state).bindText(4, reason);
  update.execute();
  requireUpdated(connection_, runId);
}

void RemoteRunRepository::setContact(std::int64_t runId, const std::string& error) {
  // A failed contact keeps the time of the last good one.
  auto update = connection_.prepare(
      "UPDATE remote_runs SET last_contact = CASE WHEN ?3 = '' THEN ?2 ELSE last_contact END, "
      "last_error = ?3 WHERE run_id = ?1");
  update.bindInteger(1, runId).bindInteger(2, toMilliseconds(currentTimestamp()));
  update.bindText(3, error);
  update.execute();
  requireUpdated(connection_, runId);
}

}  // namespace astro::store
