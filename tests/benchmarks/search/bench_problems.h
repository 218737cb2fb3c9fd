// The synthetic countdown-style problems the search benchmarks run (bench_mcts,
// bench_search_endpoint): the same list for the same count, so their figures compare.
#pragma once

#include <string>
#include <vector>

#include "core/math/problem.h"

namespace astro::bench {

inline std::vector<math::Problem> benchProblems(int count) {
  std::vector<math::Problem> problems;
  for (int i = 0; i < count; ++i) {
    math::Problem problem;
    problem.id = "bench-" + std::to_string(i);
    problem.question = "Using the numbers " + std::to_string(3 + i % 7) + ", " +
                       std::to_string(5 + i % 5) + ", 7 and 8, reach " + std::to_string(20 + i) +
                       ". Write one operation per step.";
    problem.answer = std::to_string(20 + i);
    problems.push_back(problem);
  }
  return problems;
}

}  // namespace astro::bench
