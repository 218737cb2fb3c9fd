// Judges a proposed step in the state it was written in, before the search adds it to a tree:
// a domain whose steps are checkable on their own (the countdown world's arithmetic) can discard
// invalid steps early instead of spending visits on them, and its search-shaped traces then
// wander only into honest dead ends, never into wrong arithmetic. A Domain makes one (domain.h);
// it lives here, below core/search, so domains do not depend on the search that uses them.
#pragma once

#include <span>
#include <string_view>

#include "core/math/problem.h"

namespace astro::domain {

class StepValidator {
 public:
  virtual ~StepValidator() = default;
  // `steps`: the path so far (root first), each accepted earlier; `step`: the proposed next one.
  virtual bool accepts(const math::Problem& problem, std::span<const std::string_view> steps,
                       std::string_view step) const = 0;
};

}  // namespace astro::domain
