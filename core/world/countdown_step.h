// A countdown step: one operation on two remaining numbers, written as
//   "Step 2: 5 * 5 = 25. Remaining: 7, 25"
// The state is the list of numbers still available; a step removes its two operands (first
// occurrences) and appends the result, so the "Remaining" list is a pure function of the steps.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/world/countdown_arithmetic.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/rational.h"

namespace astro::world {

struct CountdownState {
  std::vector<Rational> remaining;
};

CountdownState initialState(const CountdownPuzzle& puzzle);

struct CountdownStep {
  Rational left;
  Operator op = Operator::kAdd;
  Rational right;
  Rational result;
  std::vector<Rational> remaining;  // the state after the step
};

// "Step <index>: <left> <op> <right> = <result>. Remaining: <a>, <b>, ..." (index from 1).
std::string renderStep(int index, const CountdownStep& step);

// Applies `left op right` to `state`. On success returns the step (with its new remaining list);
// otherwise `violation` says why: "uses 9 which is not remaining", "reuses 5", or a rule of
// applyOperator ("division by zero", "non-integer intermediate 7/2", ...).
struct StepApplication {
  std::optional<CountdownStep> step;
  std::string violation;
  std::optional<Rational> unavailable;  // the operand a "uses"/"reuses" violation names
};
StepApplication applyStep(const CountdownState& state, const Rational& left, Operator op,
                          const Rational& right, const CountdownRules& rules);

// Every legal step from `state` in a fixed order, each distinct (value pair, operator) once:
// pairs by position, larger operand first for + and *, both orders for - and / where the rules
// allow the result. The solver, random play and search expansions share this list.
std::vector<CountdownStep> legalSteps(const CountdownState& state, const CountdownRules& rules);

// The parts of a step line as written; parseStep checks the grammar only, not the arithmetic.
struct ParsedStep {
  int index = 0;
  Rational left;
  Operator op = Operator::kAdd;
  Rational right;
  Rational claimedResult;
  std::vector<Rational> claimedRemaining;
};
std::optional<ParsedStep> parseStep(std::string_view text);

}  // namespace astro::world
