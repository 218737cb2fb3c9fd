// The loss_mask field: writing and checked reading.
#include "core/search/loss_mask.h"

#include "core/base/error.h"

namespace astro::search {

namespace {

// One bound of a pair: a non-negative JSON integer (1.0 and "1" are refused, not rounded).
std::size_t readBound(const nlohmann::json& value, const std::string& file, std::int64_t line,
                      const std::string& field) {
  if (value.is_number_unsigned()) return value.get<std::size_t>();
  if (value.is_number_integer()) throw ParseError(file, line, field, "must not be negative");
  throw ParseError(file, line, field, "must be an integer");
}

}  // namespace

nlohmann::ordered_json lossMaskToJson(const std::vector<ByteRange>& ranges) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const ByteRange& range : ranges) items.push_back({range.begin, range.end});
  return items;
}

std::vector<ByteRange> lossMaskFromJson(const nlohmann::json& value, std::size_t contentBytes,
                                        const std::string& file, std::int64_t line,
                                        const std::string& field) {
  if (!value.is_array()) throw ParseError(file, line, field, "must be an array of [begin, end]");
  std::vector<ByteRange> ranges;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    const nlohmann::json& pair = value[i];
    if (!pair.is_array() || pair.size() != 2) {
      throw ParseError(file, line, path, "must be a pair [begin, end]");
    }
    const ByteRange range{.begin = readBound(pair[0], file, line, path + "[0]"),
                          .end = readBound(pair[1], file, line, path + "[1]")};
    if (range.begin >= range.end) {
      throw ParseError(file, line, path, "begin must be less than end");
    }
    if (range.end > contentBytes) {
      throw ParseError(file, line, path,
                       "end " + std::to_string(range.end) + " lies past the content's " +
                           std::to_string(contentBytes) + " bytes");
    }
    if (!ranges.empty() && range.begin < ranges.back().end) {
      throw ParseError(file, line, path,
                       "must start at or after the previous range's end (" +
                           std::to_string(ranges.back().end) + "): ranges are sorted and disjoint");
    }
    ranges.push_back(range);
  }
  return ranges;
}

}  // namespace astro::search
