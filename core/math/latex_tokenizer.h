// Tokens of a LaTeX answer for latex_parser.cpp: numbers ("2.5", "1e-3"), single letters,
// commands ("\\frac", "\\{", plain "sin"), and symbols. Spacing commands are dropped here.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace astro::math {

enum class TokenKind { kNumber, kLetter, kCommand, kSymbol, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  std::size_t offset = 0;
};

// Thrown by the tokenizer and parser; parseLatexExpression turns it into an error message.
struct ParseFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool isFunctionName(const std::string& word);      // sin, cos, ..., ln, log, exp, lg
bool isGreekLetterName(const std::string& word);   // alpha ... omega (variables)

// Ends with a kEnd token; throws ParseFailure on a lone backslash or non-ASCII bytes.
std::vector<Token> tokenizeLatex(std::string_view text);

}  // namespace astro::math
