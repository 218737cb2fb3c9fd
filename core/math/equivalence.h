// Answer equivalence: is the predicted final answer the same mathematical object as the gold one?
// Gold first, prediction second. Every verdict names the rule that decided it, and a reason when
// the answers differ or could not be read.
#pragma once

#include <string>
#include <string_view>

namespace astro::math {

struct Equivalence {
  bool equal = false;
  std::string rule;    // "exact", "choice", "text", "rational", "numeric", "expression",
                       // "equation", "structural", "tuple", "interval", "set", "union",
                       // "matrix", "shape", "empty", "too-long"
  std::string reason;  // why not equal (or how it was decided when that is not obvious)
};

struct EquivalenceOptions {
  // Relative tolerance for values that cannot be compared exactly (irrationals); tight enough
  // that 3.1416 is not pi and 0.333 is not 1/3.
  double numericTolerance = 1e-9;
  // Relative tolerance per sample point for expressions with variables.
  double expressionTolerance = 1e-8;
};

// Compares two bare answers (already extracted from any surrounding text).
Equivalence compareAnswers(std::string_view gold, std::string_view prediction,
                           const EquivalenceOptions& options = {});

}  // namespace astro::math
