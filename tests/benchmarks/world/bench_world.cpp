// bench_world: how fast the countdown world's hot parts are. Solving is compared with the plain
// DFS one would write first (no memo on the multiset of remaining numbers); grading with the
// general math verifier on the same outputs. Prints metric, ours, baseline, ratio (median of 5).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/world/countdown_generator.h"
#include "core/world/countdown_solver.h"
#include "core/world/countdown_verifier.h"
#ifdef ASTRO_BENCH_WITH_MATH_VERIFIER
#include "core/math/math_verifier.h"
#endif

namespace {

using astro::world::CountdownPuzzle;
using astro::world::CountdownState;

// Items per second of `run` (which handles `items` items), median of five runs.
double medianRate(std::size_t items, const std::function<void()>& run) {
  std::vector<double> rates;
  for (int i = 0; i < 5; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    rates.push_back(static_cast<double>(items) / seconds.count());
  }
  std::sort(rates.begin(), rates.end());
  return rates[2];
}

std::uint64_t plainCount(const CountdownState& state, const CountdownPuzzle& puzzle) {
  std::uint64_t count = 0;
  for (const auto& step : astro::world::legalSteps(state, puzzle.rules)) {
    count += step.result == astro::world::Rational(puzzle.target)
                 ? 1
                 : plainCount(CountdownState{step.remaining}, puzzle);
  }
  return count;
}

void printRow(const char* metric, double ours, double baseline) {
  if (baseline > 0) {
    std::printf("%-44s %12.0f %12.0f %8.2fx\n", metric, ours, baseline, ours / baseline);
  } else {
    std::printf("%-44s %12.0f %12s %9s\n", metric, ours, "-", "-");
  }
}

}  // namespace

int main() {
  astro::world::GeneratorOptions four;
  astro::world::GeneratorOptions five;
  five.numberCount = 5;
  auto fourPuzzles = astro::world::generateDataset(1, 300, 0, four).train;
  auto fivePuzzles = astro::world::generateDataset(1, 50, 0, five).train;

  std::printf("%-44s %12s %12s %9s\n", "metric (per second)", "ours", "baseline", "ratio");
  for (const auto* set : {&fourPuzzles, &fivePuzzles}) {
    std::uint64_t sink = 0;
    double memo = medianRate(set->size(), [&] {
      for (const auto& problem : *set)
        sink += astro::world::CountdownSolver(problem.puzzle).countSolutions();
    });
    double plain = medianRate(set->size(), [&] {
      for (const auto& problem : *set) {
        sink += plainCount(astro::world::initialState(problem.puzzle), problem.puzzle);
      }
    });
    printRow(set == &fourPuzzles ? "count solution paths, 4 numbers (vs plain DFS)"
                                 : "count solution paths, 5 numbers (vs plain DFS)",
             memo, plain);
    if (sink == 1) std::puts("");  // keeps the work observable
  }

  std::vector<astro::math::Problem> problems;
  for (const auto& problem : fourPuzzles) {
    problems.push_back(astro::world::puzzleToProblem(problem.puzzle, problem.id));
  }
  std::size_t correct = 0;
  double ours = medianRate(problems.size(), [&] {
    astro::world::CountdownVerifier verifier;
    for (std::size_t i = 0; i < problems.size(); ++i) {
      correct += verifier.grade(problems[i], fourPuzzles[i].solution).correct;
    }
  });
  double baseline = 0;
#ifdef ASTRO_BENCH_WITH_MATH_VERIFIER
  baseline = medianRate(problems.size(), [&] {
    astro::math::MathVerifier verifier;
    for (std::size_t i = 0; i < problems.size(); ++i) {
      correct += verifier.grade(problems[i], fourPuzzles[i].solution).correct;
    }
  });
#endif
  printRow("grade reference solutions (vs math verifier)", ours, baseline);

  double generate = medianRate(200, [&] { astro::world::generateDataset(7, 200, 0, four); });
  printRow("generate default puzzles", generate, 0);
  return correct == 0 ? 1 : 0;
}
