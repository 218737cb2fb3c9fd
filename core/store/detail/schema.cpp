// Schema version checks and forward migration of a workspace database at open (detail/schema.h).
#include "core/store/detail/schema.h"

#include "core/base/error.h"

namespace astro::store::detail {

namespace {

int latestVersion() { return schemaMigrations().back().version; }

std::string hex(std::int64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%08llx",
                static_cast<unsigned long long>(value) & 0xffffffffULL);
  return text;
}

}  // namespace

int checkSchemaVersion(Connection& connection) {
  const std::string file = connection.file().string();
  // The first read of the file: SQLITE_NOTADB / SQLITE_CORRUPT surface here as astro::Error.
  std::int64_t version = connection.queryInteger("PRAGMA user_version");
  std::int64_t applicationId = connection.queryInteger("PRAGMA application_id");
  if (applicationId != 0 && applicationId != kApplicationId) {
    throw Error(file +
                " is not an Astro Studio workspace database: it belongs to another "
                "program (application id " +
                hex(applicationId) + ")");
  }
  if (version > latestVersion()) {
    throw Error(file + " has schema version " + std::to_string(version) +
                "; this astro understands up to " + std::to_string(latestVersion()) +
                ": upgrade astro");
  }
  if (applicationId == 0) {
    // Version 0 and no tables is a new database; anything else was written by another program.
    std::int64_t objects = connection.queryInteger("SELECT count(*) FROM sqlite_schema");
    if (version != 0 || objects != 0) {
      throw Error(file + " is not an Astro Studio workspace database: it holds " +
                  std::to_string(objects) + " schema objects but no Astro Studio application id");
    }
  }
  return static_cast<int>(version);
}

void migrateToLatest(Connection& connection) {
  if (checkSchemaVersion(connection) == latestVersion()) return;
  Transaction transaction(connection);
  // Re-read under the write lock: another process may have migrated since the check above.
  int version = checkSchemaVersion(connection);
  for (const Migration& migration : schemaMigrations()) {
    if (migration.version <= version) continue;
    connection.executeScript(std::string(migration.sql));
  }
  connection.executeScript("PRAGMA application_id = " + std::to_string(kApplicationId) +
                           "; PRAGMA user_version = " + std::to_string(latestVersion()));
  transaction.commit();
}

}  // namespace astro::store::detail
