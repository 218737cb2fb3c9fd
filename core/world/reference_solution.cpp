#include "core/world/reference_solution.h"

#include <algorithm>

#include "core/base/error.h"

namespace astro::world {

namespace {

// A value on the board with the expression that produced it; precedence 3 = a bare number,
// 2 = a product or quotient, 1 = a sum or difference.
struct Written {
  Rational value;
  std::string text;
  int precedence = 3;
  Operator op = Operator::kAdd;
};

int precedenceOf(Operator op) { return op == Operator::kAdd || op == Operator::kSubtract ? 1 : 2; }

Written combine(const Written& left, Operator op, const Written& right, const Rational& value) {
  int precedence = precedenceOf(op);
  bool wrapLeft = left.precedence < precedence;
  // Same precedence on the right changes the meaning after - and /; "a*(b/c)" is kept as
  // written so the boxed expression's intermediate values are exactly the steps' values.
  bool wrapRight = right.precedence < precedence ||
                   (right.precedence == precedence &&
                    (op == Operator::kSubtract || op == Operator::kDivide ||
                     (op == Operator::kMultiply && right.op == Operator::kDivide) ||
                     (op == Operator::kAdd && right.op == Operator::kSubtract)));
  std::string text = (wrapLeft ? "(" + left.text + ")" : left.text) + operatorSymbol(op) +
                     (wrapRight ? "(" + right.text + ")" : right.text);
  return Written{value, std::move(text), precedence, op};
}

}  // namespace

std::string expressionForSteps(const CountdownPuzzle& puzzle,
                               const std::vector<CountdownStep>& steps) {
  std::vector<Written> board;
  for (std::int64_t number : puzzle.numbers) {
    board.push_back(Written{Rational(number), std::to_string(number), 3, Operator::kAdd});
  }
  auto take = [&](const Rational& value) {
    auto found = std::find_if(board.begin(), board.end(),
                              [&](const Written& item) { return item.value == value; });
    if (found == board.end()) {
      throw Error("expressionForSteps: step uses " + value.toString() +
                  " which is not on the board of puzzle " + canonicalKey(puzzle));
    }
    Written item = *found;
    board.erase(found);
    return item;
  };
  if (steps.empty()) return std::to_string(puzzle.target);
  for (const CountdownStep& step : steps) {
    Written left = take(step.left);
    Written right = take(step.right);
    board.push_back(combine(left, step.op, right, step.result));
  }
  return board.back().text;
}

std::string renderSolution(const CountdownPuzzle& puzzle, const std::vector<CountdownStep>& steps) {
  std::string text;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    text += renderStep(static_cast<int>(i) + 1, steps[i]);
    text += kStepSeparator;
  }
  text += "\\boxed{" + expressionForSteps(puzzle, steps) + "}";
  return text;
}

}  // namespace astro::world
