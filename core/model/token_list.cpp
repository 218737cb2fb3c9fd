#include "core/model/token_list.h"

#include <charconv>

#include "core/base/error.h"

namespace astro::model {

std::vector<int32_t> parseTokenList(std::string_view text, const std::string& what) {
  std::vector<int32_t> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    int32_t id = 0;
    auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (item.empty() || error != std::errc() || end != item.data() + item.size() || id < 0) {
      throw UsageError(what + ": '" + std::string(item) +
                       "' is not a token id (expected comma-separated non-negative integers)");
    }
    ids.push_back(id);
    start = comma + 1;
  }
  return ids;
}

}  // namespace astro::model
