// A domain's grounded reflection (issue #21): the check a reflection states about the step it
// follows ("(10-10)*2 = 0, not 18."), so that a policy trained on it can learn when to go back,
// not only that it may. A Domain that can check its steps makes one (domain.h); procedure
// cloning asks it for the step of each reflection (search::RenderOptions::groundedCheck).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/math/problem.h"

namespace astro::domain {

class ReflectionCheck {
 public:
  virtual ~ReflectionCheck() = default;
  // One short sentence or two checking `step`, written after `steps` (the path above it, root
  // first); nullopt when there is nothing to state (a malformed step, a path that does not
  // replay). Never contains a blank line.
  virtual std::optional<std::string> describe(const math::Problem& problem,
                                              std::span<const std::string_view> steps,
                                              std::string_view step) const = 0;
};

}  // namespace astro::domain
