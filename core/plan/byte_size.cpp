// Parsing and printing byte sizes for the memory plan (byte_size.h).
#include "core/plan/byte_size.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

#include "core/base/error.h"

namespace astro::plan {

namespace {

std::string lower(std::string_view text) {
  std::string out;
  for (char c : text) out += char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::int64_t parseByteSize(std::string_view text) {
  auto fail = [&](const std::string& why) -> std::int64_t {
    throw UsageError("memory size '" + std::string(text) + "': " + why +
                     " (examples: 80GiB, 80GB, 81920MiB, 1.5TiB)");
  };
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                               text[end] == '.')) {
    ++end;
  }
  double value = 0;
  auto [stop, error] = std::from_chars(text.data(), text.data() + end, value);
  if (end == 0 || error != std::errc() || stop != text.data() + end) fail("not a number");
  std::string unit = lower(text.substr(end));
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  static const std::array<std::pair<const char*, double>, 10> kUnits{{
      {"", 1.0}, {"b", 1.0},
      {"kib", 1024.0}, {"mib", 1048576.0}, {"gib", 1073741824.0}, {"tib", 1099511627776.0},
      {"kb", 1024.0}, {"mb", 1048576.0}, {"gb", 1073741824.0}, {"tb", 1099511627776.0},
  }};
  for (const auto& [name, scale] : kUnits) {
    if (unit != name) continue;
    double bytes = std::round(value * scale);
    if (!(bytes >= 1) || bytes > 9.0e18) fail("out of range");
    return std::int64_t(bytes);
  }
  return fail("unknown unit '" + unit + "'");
}

std::string formatBytes(std::int64_t bytes) {
  static const std::array<const char*, 5> kNames{"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = double(bytes);
  std::size_t unit = 0;
  value /= 1024.0;
  while (value >= 1024.0 && unit + 1 < kNames.size()) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kNames[unit]);
  return text;
}

}  // namespace astro::plan
