// Wall-clock times for the run store (timestamp.h).
#include "core/store/timestamp.h"

#include <cstdio>
#include <ctime>

namespace astro::store {

Timestamp currentTimestamp() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string formatTimestamp(Timestamp time) {
  std::int64_t milliseconds = toMilliseconds(time);
  std::int64_t millisecondPart = ((milliseconds % 1000) + 1000) % 1000;
  std::time_t seconds = static_cast<std::time_t>((milliseconds - millisecondPart) / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millisecondPart));
  return text;
}

}  // namespace astro::store
