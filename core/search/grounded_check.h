// A domain's ReflectionCheck (core/domain/reflection_check.h) as the renderer's GroundedCheck:
// for a tree node, the texts of the path above it and its own text, with the tree's problem.
#pragma once

#include "core/domain/domain.h"
#include "core/search/render_trace.h"

namespace astro::search {

// An empty function when the domain states no checks (Domain::makeReflectionCheck is nullptr).
GroundedCheck groundedCheckFor(const domain::Domain& domain);

}  // namespace astro::search
