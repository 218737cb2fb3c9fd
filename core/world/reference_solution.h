// Reference solutions: the direct, correct step-by-step texts the base policy is pretrained on.
// Steps are separated by a blank line and the last block is the boxed expression the steps build,
// as in real math chains of thought:
//   Step 1: 8 - 3 = 5. Remaining: 5, 5, 7
//
//   Step 2: 5 * 5 = 25. Remaining: 7, 25
//
//   Step 3: 25 - 7 = 18. Remaining: 18
//
//   \boxed{(8-3)*5-7}
#pragma once

#include <string>
#include <vector>

#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_step.h"

namespace astro::world {

inline constexpr const char* kStepSeparator = "\n\n";

// The expression the steps compute, written with the fewest parentheses that keep each step's
// operation intact (e.g. "(8-3)*5-7"). Throws astro::Error when a step uses a number the state
// does not hold (the steps must come from applyStep/legalSteps on this puzzle).
std::string expressionForSteps(const CountdownPuzzle& puzzle,
                               const std::vector<CountdownStep>& steps);

// The rendered steps joined by kStepSeparator, then "\boxed{<expressionForSteps>}".
std::string renderSolution(const CountdownPuzzle& puzzle, const std::vector<CountdownStep>& steps);

}  // namespace astro::world
