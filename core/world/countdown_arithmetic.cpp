#include "core/world/countdown_arithmetic.h"

namespace astro::world {

char operatorSymbol(Operator op) {
  switch (op) {
    case Operator::kAdd:
      return '+';
    case Operator::kSubtract:
      return '-';
    case Operator::kMultiply:
      return '*';
    case Operator::kDivide:
      return '/';
  }
  return '?';
}

std::optional<Operator> operatorFromSymbol(char symbol) {
  switch (symbol) {
    case '+':
      return Operator::kAdd;
    case '-':
      return Operator::kSubtract;
    case '*':
      return Operator::kMultiply;
    case '/':
      return Operator::kDivide;
    default:
      return std::nullopt;
  }
}

OperationOutcome applyOperator(const Rational& left, Operator op, const Rational& right,
                               const CountdownRules& rules) {
  std::optional<Rational> value;
  switch (op) {
    case Operator::kAdd:
      value = left.plus(right);
      break;
    case Operator::kSubtract:
      value = left.minus(right);
      break;
    case Operator::kMultiply:
      value = left.times(right);
      break;
    case Operator::kDivide:
      if (right.isZero()) return {std::nullopt, "division by zero"};
      value = left.dividedBy(right);
      break;
  }
  if (!value) return {std::nullopt, "overflow"};
  if (!rules.allowNonInteger && !value->isInteger()) {
    return {std::nullopt, "non-integer intermediate " + value->toString()};
  }
  if (!rules.allowNegative && value->isNegative()) {
    return {std::nullopt, "negative intermediate " + value->toString()};
  }
  return {value, {}};
}

}  // namespace astro::world
