// The countdown world's ReflectionCheck (reflection_check.h), made by CountdownDomain: a boxed
// answer as the verifier grades it, whatever the path ("10+10-2 = 18."); an operation step after
// replaying the path with the world's StepChecker ("9 - 7 = 2, not 5.", "7 is not left."), and
// nothing when the path does not replay. Words from world/reflection_check.h.
#pragma once

#include "core/domain/reflection_check.h"

namespace astro::domain {

class CountdownReflectionCheck : public ReflectionCheck {
 public:
  std::optional<std::string> describe(const math::Problem& problem,
                                      std::span<const std::string_view> steps,
                                      std::string_view step) const override;
};

}  // namespace astro::domain
