// Finds the final answer in a full model output: the last \boxed{} or \fbox{} (nested braces),
// else the last "final answer is ..." / "the answer is ..." phrase or GSM8K "#### ..." line,
// whichever comes later, else the whole output when it is a short bare answer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace astro::math {

struct Extraction {
  std::string text;         // the answer as written (braces of \boxed{} removed)
  std::size_t offset = 0;   // byte offset of `text` in the output
  std::string method;       // "boxed", "fbox", "phrase", "hashes", "bare"
};

// Outputs longer than this with no marker are reasoning without a final answer, not a bare one.
inline constexpr std::size_t kMaxBareAnswerBytes = 200;

std::optional<Extraction> extractAnswer(std::string_view output);

}  // namespace astro::math
