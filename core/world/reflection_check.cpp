// Grounded reflection checks for countdown steps (reflection_check.h): the verifier's and the
// step checker's own evaluation, put into words.
#include "core/world/reflection_check.h"

#include "core/world/countdown_expression.h"
#include "core/world/countdown_step.h"
#include "core/world/countdown_verifier.h"

namespace astro::world {

namespace {

// One space for every whitespace run, ends trimmed: the check stays one line of one paragraph.
std::string collapseSpaces(std::string_view text) {
  std::string collapsed;
  bool pendingSpace = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      pendingSpace = !collapsed.empty();
      continue;
    }
    if (pendingSpace) collapsed += ' ';
    pendingSpace = false;
    collapsed += c;
  }
  return collapsed;
}

}  // namespace

std::optional<std::string> describeAnswer(const CountdownPuzzle& puzzle, std::string_view block) {
  const std::optional<BoxedAnswer> boxed = lastBoxed(block);
  if (!boxed) return std::nullopt;
  const std::optional<CountdownExpression> expression = parseExpression(boxed->content);
  if (!expression) return "That is not a valid expression.";
  const std::string written = collapseSpaces(boxed->content);
  // The verifier's order: which numbers the expression uses, then its value under the rules.
  if (std::string misuse = checkNumberUse(*expression, puzzle.numbers); !misuse.empty()) {
    return written + " " + misuse + ".";
  }
  const ExpressionValue value = evaluateExpression(*expression, puzzle.rules);
  if (!value.value) return written + ": " + value.violation + ".";
  const std::string target = std::to_string(puzzle.target);
  if (*value.value != Rational(puzzle.target)) {
    return written + " = " + value.value->toString() + ", not " + target + ".";
  }
  return written + " = " + target + ".";
}

std::optional<std::string> describeStep(const StepChecker& checker, const CountdownState& state,
                                        std::string_view block) {
  if (block.find("\\boxed{") != std::string_view::npos) {
    return describeAnswer(checker.puzzle(), block);
  }
  const std::optional<ParsedStep> parsed = parseStep(block);
  if (!parsed) return std::nullopt;
  const std::string operation =
      parsed->left.toString() + " " + operatorSymbol(parsed->op) + " " + parsed->right.toString();
  const StepApplication applied =
      applyStep(state, parsed->left, parsed->op, parsed->right, checker.puzzle().rules);
  if (!applied.step) {
    if (applied.unavailable) return applied.unavailable->toString() + " is not left.";
    return operation + ": " + applied.violation + ".";
  }
  const std::string result = applied.step->result.toString();
  if (parsed->claimedResult != applied.step->result) {
    return operation + " = " + result + ", not " + parsed->claimedResult.toString() + ".";
  }
  if (!checker.check(state, block).valid) {
    return "Left: " + joinRationals(applied.step->remaining) + ", not " +
           joinRationals(parsed->claimedRemaining) + ".";
  }
  return operation + " = " + result + ".";
}

}  // namespace astro::world
