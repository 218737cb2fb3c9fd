// A compiled PCRE2 pattern in UTF + Unicode-property mode (JIT when the platform has it), as the
// Split pre-tokenizers of tokenizer.json need: \p{L}, \p{N}, look-ahead, (?i:...).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace astro::tokenizer::detail {

class Regex {
 public:
  // Throws astro::Error("<where>: cannot compile regex: ...") for a bad pattern. A literal
  // pattern matches its text exactly.
  Regex(std::string_view pattern, bool literal, const std::string& where);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Replaces `matches` with the [begin, end) byte ranges of the non-empty, non-overlapping
  // matches in `text`, left to right. Bytes that are not UTF-8 never match a character.
  void findAll(std::string_view text,
               std::vector<std::pair<std::size_t, std::size_t>>& matches) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace astro::tokenizer::detail
