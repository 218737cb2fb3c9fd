// The built-in miniature world (core/world, docs/world.md): countdown puzzles, graded exactly by
// the countdown verifier, each operation step checked by CountdownStepValidator. It claims a
// problem whose puzzle it can read: numbers and target in `extra`, or a question in the world's
// form (world::parseQuestion), whatever the dataset file or problem ids are called. Its steps are
// paragraphs, as the world's reference solutions write them (world::kStepSeparator).
#pragma once

#include "core/domain/domain.h"

namespace astro::domain {

class CountdownDomain : public Domain {
 public:
  static constexpr std::string_view kName = "countdown";
  std::string_view name() const override { return kName; }
  std::string_view description() const override;
  bool claims(const math::Problem& problem) const override;
  std::unique_ptr<math::Verifier> makeVerifier() const override;
  std::unique_ptr<StepValidator> makeStepValidator() const override;
  // CountdownReflectionCheck: "(10-10)*2 = 0, not 18.", "7 is not left.".
  std::unique_ptr<ReflectionCheck> makeReflectionCheck() const override;
  // world::kStepSeparator: what the world's reference solutions, and so its base policy, write.
  std::string_view stepDelimiter() const override;
  // countdown-compact-v1 (countdown_phrases.h): the world's policy learns it within the budget.
  const search::PhraseSet& phraseSet() const override;
};

}  // namespace astro::domain
