// Scanning text for number tokens (number_tokens.h); linear, no regex.
#include "number_tokens.h"

namespace gsm8k {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isWordByte(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

constexpr std::string_view kUnicodeMinus = "\xE2\x88\x92";

// End of the unsigned decimal starting at `at` (a digit, or a point before a digit). A comma
// continues it only as a thousands separator: at most three digits before the first comma and
// exactly three after each, as parseExactNumber reads them.
std::size_t decimalEnd(std::string_view text, std::size_t at) {
  std::size_t i = at;
  while (i < text.size() && isDigit(text[i])) ++i;
  if (i - at <= 3) {
    while (i + 3 < text.size() && text[i] == ',' && isDigit(text[i + 1]) && isDigit(text[i + 2]) &&
           isDigit(text[i + 3]) && (i + 4 == text.size() || !isDigit(text[i + 4]))) {
      i += 4;
    }
  }
  if (i + 1 < text.size() && text[i] == '.' && isDigit(text[i + 1])) {
    ++i;
    while (i < text.size() && isDigit(text[i])) ++i;
  }
  return i;
}

// A digit, or a point before a digit that does not follow one (".5"; "3.5" starts at the 3).
bool startsDecimal(std::string_view text, std::size_t at) {
  if (isDigit(text[at])) return true;
  return text[at] == '.' && at + 1 < text.size() && isDigit(text[at + 1]) &&
         (at == 0 || !isDigit(text[at - 1]));
}

// A sign directly before `digitAt`, when it does not follow a word ("x-3" is a subtraction).
std::size_t signStart(std::string_view text, std::size_t digitAt) {
  if (digitAt >= 1 && text[digitAt - 1] == '-') {
    if (digitAt == 1 || !isWordByte(text[digitAt - 2])) return digitAt - 1;
  }
  if (digitAt >= kUnicodeMinus.size() &&
      text.substr(digitAt - kUnicodeMinus.size(), kUnicodeMinus.size()) == kUnicodeMinus) {
    return digitAt - kUnicodeMinus.size();
  }
  return digitAt;
}

}  // namespace

std::optional<NumberToken> findNumber(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (!startsDecimal(text, i)) continue;
    std::size_t begin = signStart(text, i);
    if (begin < from) begin = i;
    std::size_t end = decimalEnd(text, i);
    if (end + 1 < text.size() && text[end] == '/' && startsDecimal(text, end + 1)) {
      end = decimalEnd(text, end + 1);
    }
    return NumberToken{.begin = begin, .end = end, .text = text.substr(begin, end - begin)};
  }
  return std::nullopt;
}

std::optional<NumberToken> findLastNumber(std::string_view text) {
  std::optional<NumberToken> last;
  std::size_t from = 0;
  while (auto token = findNumber(text, from)) {
    last = token;
    from = token->end;
  }
  return last;
}

}  // namespace gsm8k
