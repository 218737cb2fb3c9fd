// Version of the SQLite library the run store is linked against (for `astro doctor`).
#pragma once

#include <string>

namespace astro::store {
std::string sqliteVersion();
}
