// CountdownStepValidator (countdown_step_validator.h): replays the path, then checks the step.
#include "core/domain/countdown_step_validator.h"

#include "core/world/countdown_puzzle.h"
#include "core/world/step_checker.h"

namespace astro::domain {

bool CountdownStepValidator::accepts(const math::Problem& problem,
                                     std::span<const std::string_view> steps,
                                     std::string_view step) const {
  const world::StepChecker checker(world::puzzleFromProblem(problem));
  world::CountdownState state = world::initialState(checker.puzzle());
  for (std::string_view earlier : steps) {
    const world::StepCheck check = checker.check(state, earlier);
    // A path reaches here only through accepted steps; one that does not replay (a tree built
    // without this validator) leaves nothing to check against, so its children are not judged.
    if (check.kind != world::StepKind::kOperation || !check.valid) return true;
    state = check.next;
  }
  const world::StepCheck check = checker.check(state, step);
  return check.kind == world::StepKind::kAnswer || check.valid;
}

}  // namespace astro::domain
