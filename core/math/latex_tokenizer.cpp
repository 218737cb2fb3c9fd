// Tokenizer for LaTeX answers: one linear scan, no regex.
#include "core/math/latex_tokenizer.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace astro::math {

namespace {

constexpr std::array<const char*, 16> kFunctions = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan",
    "sinh", "cosh", "tanh", "ln", "log", "exp", "lg"};
constexpr std::array<const char*, 24> kGreek = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta",
    "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi",
    "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "omega"};

bool isOneOf(const std::string& word, const auto& list) {
  return std::any_of(list.begin(), list.end(), [&](const char* item) { return word == item; });
}

bool isLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool isFunctionName(const std::string& word) { return isOneOf(word, kFunctions); }
bool isGreekLetterName(const std::string& word) { return isOneOf(word, kGreek); }

std::vector<Token> tokenizeLatex(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t at = 0;
  while (at < text.size()) {
    char c = text[at];
    std::size_t start = at;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++at;
      continue;
    }
    if (isDigit(c) || (c == '.' && at + 1 < text.size() && isDigit(text[at + 1]))) {
      while (at < text.size() && isDigit(text[at])) ++at;
      if (at < text.size() && text[at] == '.') {
        ++at;
        while (at < text.size() && isDigit(text[at])) ++at;
      }
      // Scientific notation only when digits follow directly: "2e5"; "2e" stays 2 times e.
      if (at + 1 < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        std::size_t next = at + 1;
        if (next < text.size() && (text[next] == '-' || text[next] == '+')) ++next;
        if (next < text.size() && isDigit(text[next])) {
          at = next;
          while (at < text.size() && isDigit(text[at])) ++at;
        }
      }
      tokens.push_back({TokenKind::kNumber, std::string(text.substr(start, at - start)), start});
      continue;
    }
    if (isLetter(c)) {
      std::size_t end = at;
      while (end < text.size() && isLetter(text[end])) ++end;
      std::string word(text.substr(at, end - at));
      if (word.size() > 1 && (isFunctionName(word) || word == "sqrt")) {
        tokens.push_back({TokenKind::kCommand, word, start});
        at = end;
        continue;
      }
      tokens.push_back({TokenKind::kLetter, std::string(1, c), start});
      ++at;
      continue;
    }
    if (c == '\\') {
      ++at;
      std::size_t end = at;
      while (end < text.size() && isLetter(text[end])) ++end;
      if (end == at) {
        if (at >= text.size()) throw ParseFailure("lone backslash at end");
        char escaped = text[at++];
        if (escaped == ',' || escaped == ';' || escaped == '!' || escaped == ' ' ||
            escaped == ':') {
          continue;
        }
        tokens.push_back({TokenKind::kCommand, std::string(1, escaped), start});
        continue;
      }
      tokens.push_back({TokenKind::kCommand, std::string(text.substr(at, end - at)), start});
      at = end;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) throw ParseFailure("non-ASCII character");
    tokens.push_back({TokenKind::kSymbol, std::string(1, c), start});
    ++at;
  }
  tokens.push_back({TokenKind::kEnd, "", text.size()});
  return tokens;
}

}  // namespace astro::math
