#include "core/world/world_statistics.h"

#include <algorithm>

#include "core/world/countdown_step.h"

namespace astro::world {

double randomPlayPassRate(const CountdownPuzzle& puzzle, int rollouts, WorldRandom& random) {
  if (rollouts <= 0) return 0.0;
  const Rational target(puzzle.target);
  int passes = 0;
  for (int game = 0; game < rollouts; ++game) {
    CountdownState state = initialState(puzzle);
    while (true) {
      std::vector<CountdownStep> steps = legalSteps(state, puzzle.rules);
      if (steps.empty()) break;
      const CountdownStep& step = steps[random.below(steps.size())];
      if (step.result == target) {
        ++passes;
        break;
      }
      state.remaining = step.remaining;
    }
  }
  return static_cast<double>(passes) / rollouts;
}

WorldStatistics measureStatistics(const std::vector<GeneratedProblem>& problems, int rollouts,
                                  std::uint64_t seed) {
  WorldStatistics stats;
  stats.problems = problems.size();
  if (problems.empty()) return stats;
  WorldRandom random(seed);
  std::vector<std::uint64_t> counts;
  for (const GeneratedProblem& problem : problems) {
    stats.randomPlayPassRate += randomPlayPassRate(problem.puzzle, rollouts, random);
    stats.solvableFraction += problem.solvableFraction;
    stats.meanFewestSteps += problem.fewestSteps;
    stats.meanSolutionCount += static_cast<double>(problem.solutionCount);
    stats.meanSolutionChars += static_cast<double>(problem.solution.size());
    counts.push_back(problem.solutionCount);
  }
  double n = static_cast<double>(problems.size());
  stats.randomPlayPassRate /= n;
  stats.solvableFraction /= n;
  stats.meanFewestSteps /= n;
  stats.meanSolutionCount /= n;
  stats.meanSolutionChars /= n;
  std::sort(counts.begin(), counts.end());
  stats.medianSolutionCount = counts[counts.size() / 2];
  stats.minSolutionCount = counts.front();
  stats.maxSolutionCount = counts.back();
  return stats;
}

}  // namespace astro::world
