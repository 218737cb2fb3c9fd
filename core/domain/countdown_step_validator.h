// The countdown world's StepValidator (step_validator.h), made by CountdownDomain: an operation
// block must be valid in the state the path leads to (world::StepChecker: numbers remaining,
// exact result, right "Remaining" list, the rules); a block with \boxed{} is always kept, right
// or wrong, since the verifier grades it as a terminal; anything else (malformed text) is
// rejected.
#pragma once

#include "core/domain/step_validator.h"

namespace astro::domain {

class CountdownStepValidator : public StepValidator {
 public:
  bool accepts(const math::Problem& problem, std::span<const std::string_view> steps,
               std::string_view step) const override;
};

}  // namespace astro::domain
