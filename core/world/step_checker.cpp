#include "core/world/step_checker.h"

#include <algorithm>

namespace astro::world {

namespace {

bool sameMultiset(std::vector<Rational> a, std::vector<Rational> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

StepChecker::StepChecker(CountdownPuzzle puzzle)
    : puzzle_(std::move(puzzle)), problem_(puzzleToProblem(puzzle_, "step-checker")) {}

StepCheck StepChecker::check(const CountdownState& state, std::string_view stepText) const {
  StepCheck result;
  result.next = state;
  if (stepText.find("\\boxed{") != std::string_view::npos) {
    math::Verdict verdict = verifier_.grade(problem_, stepText);
    result.kind = StepKind::kAnswer;
    result.valid = verdict.correct;
    result.rule = verdict.rule;
    return result;
  }
  std::optional<ParsedStep> parsed = parseStep(stepText);
  if (!parsed) {
    result.rule = "malformed step";
    return result;
  }
  result.kind = StepKind::kOperation;
  StepApplication applied =
      applyStep(state, parsed->left, parsed->op, parsed->right, puzzle_.rules);
  if (!applied.step) {
    result.rule = applied.violation;
    return result;
  }
  const CountdownStep& step = *applied.step;
  if (parsed->claimedResult != step.result) {
    result.rule = "wrong result " + step.left.toString() + " " + operatorSymbol(step.op) + " " +
                  step.right.toString() + " = " + parsed->claimedResult.toString() + " (is " +
                  step.result.toString() + ")";
    return result;
  }
  // The order of the list is a convention, not a rule: any order of the right numbers passes.
  if (!sameMultiset(parsed->claimedRemaining, step.remaining)) {
    result.rule = "wrong remaining " + joinRationals(parsed->claimedRemaining) + " (is " +
                  joinRationals(step.remaining) + ")";
    return result;
  }
  result.valid = true;
  result.rule = "valid";
  result.step = step;
  result.next.remaining = parsed->claimedRemaining;
  result.reachesTarget = step.result == Rational(puzzle_.target);
  return result;
}

}  // namespace astro::world
