// CountdownReflectionCheck (countdown_reflection_check.h).
#include "core/domain/countdown_reflection_check.h"

#include "core/world/countdown_puzzle.h"
#include "core/world/reflection_check.h"
#include "core/world/step_checker.h"

namespace astro::domain {

std::optional<std::string> CountdownReflectionCheck::describe(
    const math::Problem& problem, std::span<const std::string_view> steps,
    std::string_view step) const {
  const world::StepChecker checker(world::puzzleFromProblem(problem));
  // A boxed answer is graded against the puzzle, whatever the path above it.
  if (step.find("\\boxed{") != std::string_view::npos) {
    return world::describeAnswer(checker.puzzle(), step);
  }
  world::CountdownState state = world::initialState(checker.puzzle());
  for (std::string_view earlier : steps) {
    const world::StepCheck check = checker.check(state, earlier);
    // A path through an invalid step leaves no state to check an operation against.
    if (check.kind != world::StepKind::kOperation || !check.valid) return std::nullopt;
    state = check.next;
  }
  return world::describeStep(checker, state, step);
}

}  // namespace astro::domain
