// Numbers as GSM8K answers write them, compared exactly: "1,000", "3.50", ".5", "-10", "7/2".
// A number is held as a reduced fraction, so "3.5", "3.50" and "7/2" are one value and no two
// different values are ever called equal.
#pragma once

#include <optional>
#include <string_view>

namespace gsm8k {

// sign * numerator / denominator, reduced (gcd 1), denominator > 0, zero never negative.
struct ExactNumber {
  bool negative = false;
  unsigned __int128 numerator = 0;
  unsigned __int128 denominator = 1;

  friend bool operator==(const ExactNumber&, const ExactNumber&) = default;
};

// At most this many digits on each side of a fraction bar: 10^18 * 10^18 still fits in 128 bits,
// so building "a/b" from two decimals never overflows. GSM8K's answers have at most 9.
inline constexpr int kMaxDigits = 18;

// The whole of `text` read as one number: an optional sign ("-" or U+2212), digits whose thousands
// may be grouped by commas ("1,450,000", every group three digits), an optional decimal part
// (".5", "3.50"), and optionally "/" and a second such number without sign ("7/2", "1.5/3").
// nullopt for anything else, more digits than kMaxDigits, or a zero denominator.
std::optional<ExactNumber> parseExactNumber(std::string_view text);

}  // namespace gsm8k
