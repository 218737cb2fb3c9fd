// Reading number text into a reduced fraction (exact_number.h).
//
// Why exact and not a float with an epsilon: GSM8K golds are integers and short decimals, and the
// question is whether the model wrote the same number, not a close one. An epsilon big enough to
// call "3.5" and "3.50" equal after parsing is either tied to the magnitude (and then 1000000 and
// 1000001 pass at a relative 1e-6) or absolute (and then 0.0001 and 0.0002 pass at 1e-3); doubles
// also lose integers above 2^53. A reduced fraction compares "3.5", "3.50" and "7/2" equal because
// they are the same rational, and nothing else.
#include "exact_number.h"

namespace gsm8k {

namespace {

using Uint128 = unsigned __int128;

Uint128 gcd(Uint128 a, Uint128 b) {
  while (b != 0) {
    Uint128 rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

struct Decimal {
  Uint128 digits = 0;  // the number without its decimal point
  Uint128 scale = 1;   // 10^(digits after the point)
};

// Unsigned "1,234.50" / "12" / ".5" over the whole of `text`.
std::optional<Decimal> parseDecimal(std::string_view text) {
  Decimal decimal;
  std::size_t i = 0;
  int significant = 0;
  int integerDigits = 0;
  int groupDigits = -1;  // digits since the last comma; -1 before the first comma
  auto addDigit = [&](char c) {
    decimal.digits = decimal.digits * 10 + Uint128(c - '0');
    if (significant > 0 || c != '0') ++significant;
  };
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (isDigit(c)) {
      addDigit(c);
      ++integerDigits;
      if (groupDigits >= 0 && ++groupDigits > 3) return std::nullopt;
    } else if (c == ',') {
      // A comma groups thousands: digits before it, exactly three after it.
      if (integerDigits == 0 || (groupDigits >= 0 && groupDigits != 3)) return std::nullopt;
      if (groupDigits < 0 && integerDigits > 3) return std::nullopt;
      groupDigits = 0;
    } else {
      return std::nullopt;
    }
    if (significant > kMaxDigits) return std::nullopt;
  }
  if (groupDigits >= 0 && groupDigits != 3) return std::nullopt;
  int fractionDigits = 0;
  if (i < text.size()) {  // text[i] == '.'
    for (++i; i < text.size(); ++i) {
      if (!isDigit(text[i])) return std::nullopt;
      addDigit(text[i]);
      decimal.scale *= 10;
      if (significant > kMaxDigits || ++fractionDigits > kMaxDigits) return std::nullopt;
    }
    if (fractionDigits == 0) return std::nullopt;  // "3.": a sentence's point, not the number's
  }
  if (integerDigits == 0 && fractionDigits == 0) return std::nullopt;  // "", ","
  return decimal;
}

ExactNumber reduced(bool negative, Uint128 numerator, Uint128 denominator) {
  Uint128 divisor = gcd(numerator, denominator);
  if (divisor > 1) {
    numerator /= divisor;
    denominator /= divisor;
  }
  return ExactNumber{
      .negative = negative && numerator != 0, .numerator = numerator, .denominator = denominator};
}

}  // namespace

std::optional<ExactNumber> parseExactNumber(std::string_view text) {
  bool negative = false;
  if (text.starts_with("-")) {
    negative = true;
    text.remove_prefix(1);
  } else if (text.starts_with("\xE2\x88\x92")) {  // U+2212 MINUS SIGN
    negative = true;
    text.remove_prefix(3);
  } else if (text.starts_with("+")) {
    text.remove_prefix(1);
  }
  std::size_t bar = text.find('/');
  auto top = parseDecimal(text.substr(0, bar));
  if (!top) return std::nullopt;
  if (bar == std::string_view::npos) return reduced(negative, top->digits, top->scale);
  auto bottom = parseDecimal(text.substr(bar + 1));
  if (!bottom || bottom->digits == 0) return std::nullopt;
  // (a / s) / (b / t) = (a * t) / (s * b); each factor < 10^18, so each product < 2^127.
  return reduced(negative, top->digits * bottom->scale, top->scale * bottom->digits);
}

}  // namespace gsm8k
