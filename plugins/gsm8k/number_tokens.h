// Where numbers are in free text: "She pays $1,200.50 for 3/4 of it" holds "1,200.50" and "3/4".
// The answer extraction reads a model's last number and the first number of an answer phrase.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace gsm8k {

struct NumberToken {
  std::size_t begin = 0;  // byte offsets into the text, [begin, end)
  std::size_t end = 0;
  std::string_view text;  // what parseExactNumber (exact_number.h) reads
};

// The first number token at or after `from`: an optional minus sign that does not follow a letter
// or digit ("-3", "x-3" is "3"), digits with comma thousands groups (a comma followed by anything
// but exactly three digits ends the number: "1, 2" is "1"), a decimal part only when a digit
// follows the point ("18." is "18"), and "/" with a second such number for a fraction ("7/2",
// "5/.5").
std::optional<NumberToken> findNumber(std::string_view text, std::size_t from = 0);

// The last number token of `text`.
std::optional<NumberToken> findLastNumber(std::string_view text);

}  // namespace gsm8k
