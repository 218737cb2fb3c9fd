#include "core/world/countdown_solver.h"

#include <algorithm>

namespace astro::world {

CountdownSolver::CountdownSolver(CountdownPuzzle puzzle)
    : puzzle_(std::move(puzzle)), target_(puzzle_.target) {}

std::string CountdownSolver::stateKey(const CountdownState& state) const {
  std::vector<Rational> sorted = state.remaining;
  std::sort(sorted.begin(), sorted.end());
  std::string key;
  for (const Rational& value : sorted) key += value.toString() + ",";
  return key;
}

bool CountdownSolver::canReachTarget(const CountdownState& state) {
  if (std::find(state.remaining.begin(), state.remaining.end(), target_) != state.remaining.end()) {
    return true;
  }
  return countSolutions(state) > 0;
}

std::uint64_t CountdownSolver::countSolutions(const CountdownState& state) {
  std::string key = stateKey(state);
  if (auto found = solutionCounts_.find(key); found != solutionCounts_.end()) {
    return found->second;
  }
  std::uint64_t count = 0;
  for (const CountdownStep& step : legalSteps(state, puzzle_.rules)) {
    count += step.result == target_ ? 1 : countSolutions(CountdownState{step.remaining});
  }
  solutionCounts_.emplace(std::move(key), count);
  return count;
}

std::optional<int> CountdownSolver::fewestStepsFrom(const CountdownState& state) {
  std::string key = stateKey(state);
  if (auto found = fewestStepCounts_.find(key); found != fewestStepCounts_.end()) {
    return found->second < 0 ? std::nullopt : std::optional<int>(found->second);
  }
  int best = -1;
  for (const CountdownStep& step : legalSteps(state, puzzle_.rules)) {
    if (step.result == target_) {
      best = 1;
      break;
    }
    if (auto rest = fewestStepsFrom(CountdownState{step.remaining})) {
      if (best < 0 || *rest + 1 < best) best = *rest + 1;
    }
  }
  fewestStepCounts_.emplace(std::move(key), best);
  return best < 0 ? std::nullopt : std::optional<int>(best);
}

std::optional<int> CountdownSolver::fewestSteps() {
  CountdownState start = initialState(puzzle_);
  if (std::find(start.remaining.begin(), start.remaining.end(), target_) != start.remaining.end()) {
    return 0;
  }
  return fewestStepsFrom(start);
}

void CountdownSolver::collectSolutions(const CountdownState& state,
                                       std::vector<CountdownStep>& path,
                                       std::vector<std::vector<CountdownStep>>& found,
                                       std::size_t limit) {
  for (const CountdownStep& step : legalSteps(state, puzzle_.rules)) {
    if (found.size() >= limit) return;
    CountdownState next{step.remaining};
    bool done = step.result == target_;
    if (!done && countSolutions(next) == 0) continue;  // prune dead ends
    path.push_back(step);
    if (done) {
      found.push_back(path);
    } else {
      collectSolutions(next, path, found, limit);
    }
    path.pop_back();
  }
}

std::optional<std::vector<CountdownStep>> CountdownSolver::firstSolution() {
  std::vector<std::vector<CountdownStep>> found = allSolutions(1);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<std::vector<CountdownStep>> CountdownSolver::allSolutions(std::size_t limit) {
  std::vector<std::vector<CountdownStep>> found;
  std::vector<CountdownStep> path;
  collectSolutions(initialState(puzzle_), path, found, limit);
  return found;
}

std::vector<CountdownStep> CountdownSolver::sampleSolution(WorldRandom& random) {
  std::vector<CountdownStep> path;
  CountdownState state = initialState(puzzle_);
  std::uint64_t total = countSolutions(state);
  while (total > 0) {
    // Each step is chosen with probability proportional to the solution paths through it,
    // which makes the whole path uniform over all solution paths.
    std::uint64_t pick = random.below(total);
    for (const CountdownStep& step : legalSteps(state, puzzle_.rules)) {
      bool done = step.result == target_;
      CountdownState next{step.remaining};
      std::uint64_t through = done ? 1 : countSolutions(next);
      if (pick >= through) {
        pick -= through;
        continue;
      }
      path.push_back(step);
      state = std::move(next);
      total = done ? 0 : through;
      break;
    }
  }
  return path;
}

double CountdownSolver::firstStepSolvableFraction() {
  std::vector<CountdownStep> first = legalSteps(initialState(puzzle_), puzzle_.rules);
  if (first.empty()) return 0.0;
  std::size_t good = 0;
  for (const CountdownStep& step : first) {
    if (step.result == target_ || countSolutions(CountdownState{step.remaining}) > 0) ++good;
  }
  return static_cast<double>(good) / static_cast<double>(first.size());
}

}  // namespace astro::world
