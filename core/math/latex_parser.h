// Parses a normalised LaTeX answer ("2\sqrt{3}", "\frac{x+1}{x-1}", "\log_2 8", "5!") into an
// Expression tree. Bounded: input length, nesting depth and node count are capped, so any input
// returns quickly; malformed input yields an error message, never an exception or a crash.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/math/expression.h"

namespace astro::math {

struct ParseLimits {
  std::size_t maxInputBytes = 2000;
  int maxDepth = 48;
  std::size_t maxNodes = 2000;
};

struct ParsedExpression {
  Expression expression;
  bool ok = false;
  std::string error;  // why it failed, e.g. "unexpected '}' at 4"
};

ParsedExpression parseLatexExpression(std::string_view latex, const ParseLimits& limits = {});

}  // namespace astro::math
