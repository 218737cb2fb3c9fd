// Hand-made miniature results for the report tests: two arms with known pass@1 per stage and
// per puzzle, so every comparison and interval has a value worked out by hand.
#pragma once

#include <vector>

#include "core/experiment/miniature_report.h"

namespace astro::test {

inline constexpr int kPuzzles = 100;

// Per-puzzle pass@1 whose mean is `accuracy`: puzzles [first, first + accuracy * kPuzzles) solved
// (wrapping around).
std::vector<double> solved(double accuracy, int first = 0);

// base 0.1; ASTRO SFT 0.2 -> RL 0.5 over four checkpoints, backtracks rising with accuracy
// exactly; Direct SFT 0.15 -> RL 0.3, never backtracking; the first puzzles solved first.
experiment::MiniatureResults handMadeResults();

}  // namespace astro::test
