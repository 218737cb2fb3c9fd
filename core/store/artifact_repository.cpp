// Files a run produced (artifact_repository.h).
#include "core/store/artifact_repository.h"

#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {
constexpr const char* kArtifactColumns =
    "id, run_id, stage_id, kind, path, sha256, size_bytes, created";

Artifact readArtifact(const detail::Statement& row) {
  return Artifact{
      .id = row.integer(0),
      .runId = row.integer(1),
      .stageId = row.optionalInteger(2),
      .kind = row.text(3),
      .path = row.text(4),
      .sha256 = row.text(5),
      .sizeBytes = row.integer(6),
      .created = fromMilliseconds(row.integer(7)),
  };
}
}  // namespace

Artifact ArtifactRepository::add(const NewArtifact& artifact) {
  detail::Transaction transaction(connection_);
  detail::requireRun(connection_, artifact.runId);
  auto insert = connection_.prepare(
      std::string("INSERT INTO artifacts (run_id, stage_id, kind, path, sha256, size_bytes, "
                  "created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                  "ON CONFLICT (run_id, path) DO UPDATE SET stage_id = excluded.stage_id, "
                  "kind = excluded.kind, sha256 = excluded.sha256, "
                  "size_bytes = excluded.size_bytes, created = excluded.created RETURNING ") +
      kArtifactColumns);
  insert.bindInteger(1, artifact.runId).bindOptionalInteger(2, artifact.stageId);
  insert.bindText(3, artifact.kind).bindText(4, artifact.path).bindText(5, artifact.sha256);
  insert.bindInteger(6, artifact.sizeBytes);
  insert.bindInteger(7, toMilliseconds(currentTimestamp()));
  insert.step();
  Artifact stored = readArtifact(insert);
  insert.execute();
  transaction.commit();
  return stored;
}

std::vector<Artifact> ArtifactRepository::list(std::int64_t runId) {
  auto statement = connection_.prepare(std::string("SELECT ") + kArtifactColumns +
                                       " FROM artifacts WHERE run_id = ?1 ORDER BY id");
  statement.bindInteger(1, runId);
  std::vector<Artifact> artifacts;
  while (statement.step()) artifacts.push_back(readArtifact(statement));
  return artifacts;
}

}  // namespace astro::store
