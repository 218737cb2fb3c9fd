// The final answer of a GSM8K solution as models write it: the "#### N" line the dataset's
// solutions end with, else a \boxed{N} or "The answer is N" (what chat models and this project's
// math prompts produce), else the last number the output mentions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "exact_number.h"

namespace gsm8k {

struct Extraction {
  std::string text;        // the answer as written: "$1,200 per week", "18"
  std::size_t offset = 0;  // where it starts in the output (bytes)
  const char* rule = "";   // "hashes", "boxed", "phrase" or "last-number"
};

// nullopt when the output commits to no answer and mentions no number.
std::optional<Extraction> extractFinalAnswer(std::string_view output);

// The number an extracted answer (or a gold answer) states, read leniently: LaTeX (\frac{7}{2},
// \$, \%, \text{...}) and Markdown (**18**) are dropped, so are a currency sign before and units
// or "%" after; of "a = b" the part after the last "=" counts; then its first number. "50%" is
// 50: GSM8K asks for the number in the unit the question names, and its golds never carry "%".
std::optional<ExactNumber> answerNumber(std::string_view answer);

}  // namespace gsm8k
