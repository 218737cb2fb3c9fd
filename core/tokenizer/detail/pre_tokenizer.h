// The pre-tokenizer chain of tokenizer.json (Sequence of Split and ByteLevel steps): cuts
// normalized text into the words BPE works on. Byte-level mapping itself is implicit because
// words stay raw bytes here.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/detail/regex.h"
#include "core/tokenizer/detail/tokenizer_spec.h"

namespace astro::tokenizer::detail {

class PreTokenizer {
 public:
  explicit PreTokenizer(const std::vector<PreTokenizerStep>& steps, const std::string& source);

  // Replaces `words` with the pieces of `text`. Pieces point into `text` or into `storage`
  // (ByteLevel's prefix space), which must outlive them.
  void split(std::string_view text, std::vector<std::string_view>& words,
             std::deque<std::string>& storage) const;

 private:
  struct Step {
    PreTokenizerStep spec;
    std::unique_ptr<Regex> regex;  // null for ByteLevel without use_regex
  };
  void applySplit(const Step& step, std::string_view piece,
                  std::vector<std::string_view>& out) const;

  std::vector<Step> steps_;
};

}  // namespace astro::tokenizer::detail
