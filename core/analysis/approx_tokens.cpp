#include "core/analysis/approx_tokens.h"

#include <array>

namespace astro::analysis {

namespace {

enum ByteClass : std::uint8_t { kSpace, kWord, kSymbol, kLead, kContinuation };

constexpr std::array<std::uint8_t, 256> makeClasses() {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c < 0x20 ||
        c == 0x7F) {
      classes[c] = kSpace;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_') {
      classes[c] = kWord;
    } else if (c < 0x80) {
      classes[c] = kSymbol;
    } else if ((c & 0xC0) == 0x80) {
      classes[c] = kContinuation;
    } else {
      classes[c] = kLead;
    }
  }
  return classes;
}

constexpr std::array<std::uint8_t, 256> kClasses = makeClasses();

}  // namespace

std::int64_t approximateTokenCount(std::string_view text) {
  std::int64_t tokens = 0;
  bool inWord = false;
  for (unsigned char c : text) {
    std::uint8_t cls = kClasses[c];
    // A word token starts where a word byte follows a non-word byte; symbols and UTF-8 lead bytes
    // each start a token of their own.
    tokens += (cls == kWord) & !inWord;
    tokens += (cls == kSymbol) | (cls == kLead);
    inWord = cls == kWord;
  }
  return tokens;
}

}  // namespace astro::analysis
