// Repositories that write rows of a run first check that the run exists, so the caller reads
// "no run 42 in workspace /path" instead of SQLite's bare "FOREIGN KEY constraint failed".
#pragma once

#include <cstdint>

#include "core/store/detail/sqlite.h"

namespace astro::store::detail {

[[noreturn]] void throwNoRun(const Connection& connection, std::int64_t runId);
void requireRun(Connection& connection, std::int64_t runId);

}  // namespace astro::store::detail
