// Grading speed on one core: every MATH-500 reference solution graded against its answer
// (extraction + normalisation + equivalence), repeated; median of 5 runs against the 20,000
// grades/s target. A second row forces the parser and evaluator ("<answer>+0" vs "<answer>").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/math/math_verifier.h"

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;  // gold, output
constexpr double kTargetGradesPerSecond = 20000;
constexpr int kRuns = 5;

double gradesPerSecond(const Pairs& pairs, int* correct) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  long graded = 0;
  int right = 0;
  // Repeat the set until at least half a second has passed, so timer noise stays small.
  while (std::chrono::duration<double>(Clock::now() - start).count() < 0.5) {
    right = 0;
    for (const auto& [gold, output] : pairs) right += astro::math::gradeAnswer(gold, output).correct;
    graded += static_cast<long>(pairs.size());
  }
  *correct = right;
  return graded / std::chrono::duration<double>(Clock::now() - start).count();
}

double medianRate(const Pairs& pairs, int* correct) {
  std::vector<double> rates;
  for (int run = 0; run < kRuns; ++run) rates.push_back(gradesPerSecond(pairs, correct));
  std::sort(rates.begin(), rates.end());
  return rates[kRuns / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path path = argc > 1 ? argv[1] : ASTRO_SHARED_DATA "/math500.jsonl";
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "bench_grade: cannot open %s (pass the path to math500.jsonl)\n",
                 path.c_str());
    return 1;
  }
  Pairs solutions;
  Pairs evaluated;
  std::string line;
  while (std::getline(in, line)) {
    auto record = nlohmann::json::parse(line);
    std::string answer = record["answer"].get<std::string>();
    solutions.emplace_back(answer, record["solution"].get<std::string>());
    evaluated.emplace_back(answer, answer + "+0");
  }
  int solutionsCorrect = 0;
  int evaluatedCorrect = 0;
  double solutionRate = medianRate(solutions, &solutionsCorrect);
  double evaluatedRate = medianRate(evaluated, &evaluatedCorrect);
  std::printf("%-44s %14s %14s %8s\n", "metric (MATH-500, one core, median of 5)", "ours",
              "target", "ratio");
  std::printf("%-44s %14.0f %14.0f %7.2fx\n", "grades/s, solution vs answer", solutionRate,
              kTargetGradesPerSecond, solutionRate / kTargetGradesPerSecond);
  std::printf("%-44s %14.0f %14.0f %7.2fx\n", "grades/s, answer+0 vs answer (parse+eval)",
              evaluatedRate, kTargetGradesPerSecond, evaluatedRate / kTargetGradesPerSecond);
  std::printf("correct: %d/%zu solutions, %d/%zu answer+0\n", solutionsCorrect,
              solutions.size(), evaluatedCorrect, evaluated.size());
  return 0;
}
