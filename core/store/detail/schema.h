// The workspace schema: the ordered list of forward migrations (migrations.cpp) and the checks and
// locking that apply them when a workspace is opened (schema.cpp). See docs/store.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/store/detail/sqlite.h"

namespace astro::store::detail {

// Migration N takes a database from user_version N-1 to N. The list never changes once shipped:
// a later issue appends one entry (problems, trees, traces, ...), never edits an earlier one.
struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};
std::span<const Migration> schemaMigrations();

// PRAGMA application_id of every workspace database ("ASTR"), so a SQLite file of another program
// is refused rather than migrated.
inline constexpr std::int32_t kApplicationId = 0x41535452;

// Reads the version (throws when the file is corrupt, foreign, or newer than this build knows),
// without writing anything. Returns the version found.
int checkSchemaVersion(Connection& connection);

// Applies the missing migrations inside one BEGIN IMMEDIATE transaction, re-reading the version
// under the lock so two processes opening a new database at once migrate it exactly once.
void migrateToLatest(Connection& connection);

}  // namespace astro::store::detail
