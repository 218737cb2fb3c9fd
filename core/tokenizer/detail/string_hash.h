// Transparent string hashing, so maps keyed by std::string can be searched with a string_view
// without building a temporary string on the hot path.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace astro::tokenizer::detail {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace astro::tokenizer::detail
