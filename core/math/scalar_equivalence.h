// Equivalence of single expressions and of equations, the leaves of every structured answer:
// exact rationals first, then evaluation (numbers) or random-point evaluation (variables), then
// structural comparison where floating point cannot be trusted.
#pragma once

#include <string_view>

#include "core/math/equivalence.h"

namespace astro::math {

Equivalence compareScalars(std::string_view gold, std::string_view prediction,
                           const EquivalenceOptions& options);

// Equations compare as equations: lhs - rhs of one is a nonzero constant multiple of the other's.
Equivalence compareEquations(std::string_view goldLhs, std::string_view goldRhs,
                             std::string_view predictionLhs, std::string_view predictionRhs,
                             const EquivalenceOptions& options);

// True when `text` parses as a lone variable ("x", "y_1", "\theta").
bool isSingleVariable(std::string_view text);

}  // namespace astro::math
