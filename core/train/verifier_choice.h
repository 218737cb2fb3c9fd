// Picks the judge for a problem set: the countdown verifier for the miniature world's puzzles,
// the math verifier for everything else, so stages never need to know which world they are in.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/math/problem.h"
#include "core/math/verifier.h"

namespace astro::train {

// name: "auto" (countdown when every problem reads as a countdown puzzle), "math", "countdown".
std::unique_ptr<math::Verifier> chooseVerifier(const std::vector<math::Problem>& problems,
                                               const std::string& name = "auto");

}  // namespace astro::train
