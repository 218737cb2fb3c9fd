// Boxed countdown answers: "(8-3)*5-1" parsed into a tree and evaluated exactly under the rules.
// Accepts integers, + - * /, parentheses, whitespace, and the LaTeX spellings \times, \cdot and
// \div; anything else (unary minus, decimals, "=") is malformed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/world/countdown_arithmetic.h"
#include "core/world/countdown_puzzle.h"

namespace astro::world {

struct ExpressionNode {
  bool isNumber = false;
  std::int64_t number = 0;       // when isNumber
  Operator op = Operator::kAdd;  // otherwise
  int left = -1;                 // child indices into CountdownExpression::nodes
  int right = -1;
};

struct CountdownExpression {
  std::vector<ExpressionNode> nodes;
  int root = -1;
  std::vector<std::int64_t> numbersInOrder;  // the literals as they appear, left to right
};

// nullopt when the text is not a well-formed expression (also past a nesting depth of 64).
std::optional<CountdownExpression> parseExpression(std::string_view text);

// Evaluates the tree bottom-up, left child first; the first rule broken wins (see applyOperator).
struct ExpressionValue {
  std::optional<Rational> value;
  std::string violation;
};
ExpressionValue evaluateExpression(const CountdownExpression& expression,
                                   const CountdownRules& rules);

// "" when every literal is a given number used at most as often as given; otherwise the first
// offence in reading order: "uses 9 which is not given" or "reuses 5".
std::string checkNumberUse(const CountdownExpression& expression,
                           const std::vector<std::int64_t>& given);

}  // namespace astro::world
