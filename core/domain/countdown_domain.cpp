// CountdownDomain (countdown_domain.h).
#include "core/domain/countdown_domain.h"

#include "core/base/error.h"
#include "core/domain/countdown_phrases.h"
#include "core/domain/countdown_reflection_check.h"
#include "core/domain/countdown_step_validator.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_verifier.h"
#include "core/world/reference_solution.h"

namespace astro::domain {

std::string_view CountdownDomain::description() const {
  return "the built-in miniature world's countdown puzzles, graded and stepped exactly";
}

bool CountdownDomain::claims(const math::Problem& problem) const {
  const bool hasNumbers = problem.extra.is_object() && problem.extra.contains("numbers");
  if (!hasNumbers) return world::parseQuestion(problem.question).has_value();
  try {
    world::puzzleFromProblem(problem);  // malformed numbers/target: the verifier could not grade
    return true;
  } catch (const ParseError&) {
    return false;
  }
}

std::unique_ptr<math::Verifier> CountdownDomain::makeVerifier() const {
  return std::make_unique<world::CountdownVerifier>();
}

std::unique_ptr<StepValidator> CountdownDomain::makeStepValidator() const {
  return std::make_unique<CountdownStepValidator>();
}

std::unique_ptr<ReflectionCheck> CountdownDomain::makeReflectionCheck() const {
  return std::make_unique<CountdownReflectionCheck>();
}

std::string_view CountdownDomain::stepDelimiter() const { return world::kStepSeparator; }

const search::PhraseSet& CountdownDomain::phraseSet() const { return countdownPhraseSet(); }

}  // namespace astro::domain
