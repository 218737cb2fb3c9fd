// How hard the world is, in numbers docs/world.md quotes: the pass rate of uniformly random legal
// play (a policy that knows the rules but not the goal), the solver's solution-path counts, and
// the first-step solvable fraction.
#pragma once

#include <cstdint>
#include <vector>

#include "core/world/countdown_generator.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/world_random.h"

namespace astro::world {

// Plays uniformly random legal steps until a step reaches the target (a pass) or no legal step is
// left (a fail); the fraction of `rollouts` games that pass.
double randomPlayPassRate(const CountdownPuzzle& puzzle, int rollouts, WorldRandom& random);

struct WorldStatistics {
  std::size_t problems = 0;
  double randomPlayPassRate = 0.0;  // mean over problems
  double solvableFraction = 0.0;    // mean first-step solvable fraction
  double meanFewestSteps = 0.0;
  double meanSolutionCount = 0.0;
  std::uint64_t medianSolutionCount = 0;
  std::uint64_t minSolutionCount = 0;
  std::uint64_t maxSolutionCount = 0;
  double meanSolutionChars = 0.0;  // length of the reference solution text
};

WorldStatistics measureStatistics(const std::vector<GeneratedProblem>& problems, int rollouts,
                                  std::uint64_t seed);

}  // namespace astro::world
