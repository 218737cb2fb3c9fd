// Finds added and special tokens ("<|eot_id|>", "<think>") written in text before anything else
// sees it, so they become their own ids and never go through BPE. Leftmost match wins, then
// the longest, as in Hugging Face tokenizers.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/tokenizer/detail/tokenizer_spec.h"

namespace astro::tokenizer::detail {

struct TextSegment {
  std::string_view text;  // plain text when tokenId < 0
  std::int32_t tokenId = -1;
};

class AddedTokenMatcher {
 public:
  explicit AddedTokenMatcher(const std::vector<AddedTokenSpec>& tokens);

  // Replaces `segments` with the text cut at every added token, in order.
  void split(std::string_view text, std::vector<TextSegment>& segments) const;

 private:
  // Tokens by first byte, longest first, so the first that matches is the longest.
  std::array<std::vector<AddedTokenSpec>, 256> byFirstByte_;
};

}  // namespace astro::tokenizer::detail
