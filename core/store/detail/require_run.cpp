// The shared "no such run" check of the repositories (detail/require_run.h).
#include "core/store/detail/require_run.h"

#include "core/base/error.h"

namespace astro::store::detail {

void throwNoRun(const Connection& connection, std::int64_t runId) {
  throw Error("no run " + std::to_string(runId) + " in workspace " +
              connection.file().parent_path().string());
}

void requireRun(Connection& connection, std::int64_t runId) {
  auto statement = connection.prepare("SELECT 1 FROM runs WHERE id = ?1");
  statement.bindInteger(1, runId);
  if (!statement.step()) throwNoRun(connection, runId);
}

}  // namespace astro::store::detail
