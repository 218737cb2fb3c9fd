// Expression trees parsed from LaTeX answers, and the two ways the verifier reads them: exact
// rational value (numbers only) and complex floating-point evaluation at assigned variable values,
// which flags results it cannot trust (overflow, underflow, infinities) instead of guessing.
#pragma once

#include <complex>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/math/rational.h"

namespace astro::math {

enum class ExpressionOp {
  kNumber,     // literal; `number` is exact when `exact`, `approximate` always set
  kVariable,   // `name` ("x", "x_1", "\\theta", or an opaque literal such as "4210_5")
  kPi,
  kEuler,
  kImaginaryUnit,
  kInfinity,
  kAdd,        // n-ary
  kMultiply,   // n-ary
  kNegate,
  kDivide,     // numerator, denominator
  kPower,      // base, exponent
  kFactorial,
  kFunction,   // `name` is the function ("sqrt", "sin", "log", ...); log/root take 2 children
  kBinomial,
};

struct ExpressionNode {
  ExpressionOp op = ExpressionOp::kNumber;
  std::string name;
  Rational number;
  bool exact = true;
  double approximate = 0;
  std::vector<int> children;
};

// Nodes live in one vector (the parser appends children before parents); `root` indexes it.
struct Expression {
  std::vector<ExpressionNode> nodes;
  int root = -1;
};

struct Evaluation {
  std::complex<double> value;
  bool reliable = true;  // false: overflow, underflow to zero, infinity or NaN on the way
};

// Exact value when the tree holds only rational literals, + - * /, integer powers and small
// factorials; nullopt otherwise (irrationals, variables, overflow).
std::optional<Rational> exactValue(const Expression& expression);

// Complex evaluation; variables missing from `values` evaluate as NaN (unreliable).
Evaluation evaluate(const Expression& expression,
                    const std::map<std::string, std::complex<double>>& values);

std::vector<std::string> variableNames(const Expression& expression);
bool containsInfinity(const Expression& expression);

// Deterministic text of the tree with the operands of + and * sorted, so a + b and b + a print
// alike; the last resort when values cannot be trusted.
std::string canonicalText(const Expression& expression);

}  // namespace astro::math
