// Times in the run store: milliseconds since the Unix epoch (UTC), stored as INTEGER so they sort
// and compare in SQL, shown as ISO 8601.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace astro::store {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

Timestamp currentTimestamp();
// "2026-11-23T09:30:07.123Z".
std::string formatTimestamp(Timestamp time);

inline std::int64_t toMilliseconds(Timestamp time) { return time.time_since_epoch().count(); }
inline Timestamp fromMilliseconds(std::int64_t milliseconds) {
  return Timestamp(std::chrono::milliseconds(milliseconds));
}

}  // namespace astro::store
