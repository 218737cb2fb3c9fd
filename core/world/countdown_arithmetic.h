// The one place where a countdown operation is applied under the rules. Steps, boxed expressions,
// the solver and random play all go through applyOperator, so they can never disagree on what a
// legal operation is or on the words a rejection uses.
#pragma once

#include <optional>
#include <string>

#include "core/world/countdown_puzzle.h"
#include "core/world/rational.h"

namespace astro::world {

enum class Operator { kAdd, kSubtract, kMultiply, kDivide };

char operatorSymbol(Operator op);
std::optional<Operator> operatorFromSymbol(char symbol);

// Either the value, or the rule the operation breaks: "division by zero",
// "non-integer intermediate 7/2", "negative intermediate -2", "overflow".
struct OperationOutcome {
  std::optional<Rational> value;
  std::string violation;
};

OperationOutcome applyOperator(const Rational& left, Operator op, const Rational& right,
                               const CountdownRules& rules);

}  // namespace astro::world
