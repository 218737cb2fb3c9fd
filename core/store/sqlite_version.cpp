#include "core/store/sqlite_version.h"

#include <sqlite3.h>

namespace astro::store {
std::string sqliteVersion() { return sqlite3_libversion(); }
}  // namespace astro::store
