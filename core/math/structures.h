// The shape of a normalised answer: a scalar, an equation, an ordered tuple or interval (with its
// bracket kinds), an unordered set or list, a union of intervals, or a matrix. Equivalence
// compares shapes first, then their parts as scalars.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace astro::math {

enum class AnswerShape { kScalar, kEquation, kOrdered, kUnordered, kUnion, kMatrix };

struct AnswerStructure {
  AnswerShape shape = AnswerShape::kScalar;
  std::string text;                    // scalar: its LaTeX
  std::string lhs, rhs;                // equation sides
  char open = 0, close = 0;            // ordered: '(' or '[' and ')' or ']'
  bool explicitSet = false;            // unordered written as \{...\}
  int rows = 0, columns = 0;           // matrix: items are row-major
  std::vector<AnswerStructure> items;  // ordered, unordered, union, matrix
};

const char* shapeName(AnswerShape shape);

// Reads the structure of an answer already passed through normalizeAnswer. Nesting is bounded
// (deeper parts stay scalars, which then fail to parse and compare as text).
AnswerStructure parseAnswerStructure(std::string_view normalized, int depth = 0);

// Splits at `separator` where no (), [] or {} is open; "\{" and "\}" count as braces.
std::vector<std::string> splitTopLevel(std::string_view text, std::string_view separator);

}  // namespace astro::math
