// A fast approximate token count for trace lengths when no real tokenizer is given: each run of
// ASCII letters/digits/underscore is one token, each other printable ASCII character one token,
// each non-ASCII character (UTF-8 sequence) one token; whitespace separates and is not counted.
// For English math text this lands within ~20% of BPE counts (docs/analysis.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace astro::analysis {

std::int64_t approximateTokenCount(std::string_view text);

// A real tokenizer can be plugged in here (e.g. core/tokenizer's encode().size()).
using TokenCounter = std::function<std::int64_t(std::string_view)>;

}  // namespace astro::analysis
