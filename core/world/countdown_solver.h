// Exhaustive depth-first solver over legalSteps(): which states can still reach the target, how
// many solution paths there are, and reference solutions. A solution path is a sequence of legal
// steps that ends at the first step whose result is the target; the count is over legalSteps'
// canonical steps, so it equals the number of correct leaves an exhaustive step search would find.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_step.h"
#include "core/world/world_random.h"

namespace astro::world {

class CountdownSolver {
 public:
  explicit CountdownSolver(CountdownPuzzle puzzle);

  const CountdownPuzzle& puzzle() const { return puzzle_; }

  // Target already among the numbers, or some sequence of steps reaches it.
  bool canReachTarget(const CountdownState& state);
  bool solvable() { return canReachTarget(initialState(puzzle_)); }

  // Solution paths from `state` (memoised per multiset of remaining numbers).
  std::uint64_t countSolutions(const CountdownState& state);
  std::uint64_t countSolutions() { return countSolutions(initialState(puzzle_)); }

  // Fewest steps to the target from the start: 0 when a given number is the target, nullopt
  // when unsolvable.
  std::optional<int> fewestSteps();

  // The first solution in legalSteps order, or nullopt.
  std::optional<std::vector<CountdownStep>> firstSolution();
  // Up to `limit` solutions in legalSteps order.
  std::vector<std::vector<CountdownStep>> allSolutions(std::size_t limit);
  // One solution drawn uniformly from all solution paths; empty when unsolvable.
  std::vector<CountdownStep> sampleSolution(WorldRandom& random);

  // The fraction of legal first steps after which the target is still reachable: the world's
  // difficulty measure (1.0 means no first step is a mistake).
  double firstStepSolvableFraction();

 private:
  std::string stateKey(const CountdownState& state) const;
  std::optional<int> fewestStepsFrom(const CountdownState& state);
  void collectSolutions(const CountdownState& state, std::vector<CountdownStep>& path,
                        std::vector<std::vector<CountdownStep>>& found, std::size_t limit);

  CountdownPuzzle puzzle_;
  Rational target_;
  std::unordered_map<std::string, std::uint64_t> solutionCounts_;
  std::unordered_map<std::string, int> fewestStepCounts_;  // -1: unreachable
};

}  // namespace astro::world
