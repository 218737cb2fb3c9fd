#include "core/world/countdown_generator.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/world/countdown_solver.h"
#include "core/world/reference_solution.h"

namespace astro::world {

namespace {

// Candidates drawn per requested puzzle before giving up: rejection rates stay below ~90% for
// sensible knobs, so running out means the knobs admit too few puzzles.
constexpr int kAttemptsPerPuzzle = 200;

double roundedFraction(double value) { return std::round(value * 10000.0) / 10000.0; }

std::string problemId(std::uint64_t seed, const char* split, std::size_t index) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%05zu", index);
  return "countdown-" + std::to_string(seed) + "-" + split + "-" + suffix;
}

nlohmann::ordered_json optionsToJson(const GeneratorOptions& options) {
  return {{"numbers", options.numberCount},
          {"min_number", options.minNumber},
          {"max_number", options.maxNumber},
          {"min_target", options.minTarget},
          {"max_target", options.maxTarget},
          {"allow_non_integer", options.rules.allowNonInteger},
          {"allow_negative", options.rules.allowNegative},
          {"min_steps", options.minSteps},
          {"min_solvable_fraction", options.minSolvableFraction},
          {"max_solvable_fraction", options.maxSolvableFraction}};
}

}  // namespace

void validate(const GeneratorOptions& options) {
  if (options.numberCount < 3 || options.numberCount > 6) {
    throw UsageError("--numbers must be 3-6, got " + std::to_string(options.numberCount));
  }
  if (options.minNumber < 1 || options.maxNumber < options.minNumber || options.maxNumber > 1000) {
    throw UsageError("number range must satisfy 1 <= --min-number <= --max-number <= 1000");
  }
  if (options.minTarget < 1 || options.maxTarget < options.minTarget ||
      options.maxTarget > 100000) {
    throw UsageError("target range must satisfy 1 <= --min-target <= --max-target <= 100000");
  }
  if (options.minSteps < 1 || options.minSteps > options.numberCount - 1) {
    throw UsageError("--min-steps must be 1 to numbers-1 (" +
                     std::to_string(options.numberCount - 1) + ")");
  }
  if (!(options.minSolvableFraction >= 0.0 &&
        options.minSolvableFraction <= options.maxSolvableFraction &&
        options.maxSolvableFraction <= 1.0)) {
    throw UsageError("solvable fractions must satisfy 0 <= min <= max <= 1");
  }
}

GeneratedDataset generateDataset(std::uint64_t seed, int trainCount, int testCount,
                                 const GeneratorOptions& options, SplitOrder order) {
  validate(options);
  if (trainCount < 0 || testCount < 0) throw UsageError("--train and --test must be >= 0");
  WorldRandom random(seed);
  GeneratedDataset dataset;
  std::unordered_set<std::string> seenKeys;
  std::int64_t wanted = static_cast<std::int64_t>(trainCount) + testCount;
  std::int64_t attemptsLeft = kAttemptsPerPuzzle * (wanted + 10);
  while (static_cast<std::int64_t>(dataset.train.size() + dataset.test.size()) < wanted) {
    if (attemptsLeft-- <= 0) {
      throw Error("countdown generator: only " +
                  std::to_string(dataset.train.size() + dataset.test.size()) + " of " +
                  std::to_string(wanted) +
                  " distinct solvable puzzles found; widen the number or target range or the "
                  "solvable-fraction window");
    }
    CountdownPuzzle puzzle;
    puzzle.rules = options.rules;
    for (int i = 0; i < options.numberCount; ++i) {
      puzzle.numbers.push_back(random.between(options.minNumber, options.maxNumber));
    }
    puzzle.target = random.between(options.minTarget, options.maxTarget);
    std::string key = canonicalKey(puzzle);
    if (seenKeys.contains(key)) continue;
    CountdownSolver solver(puzzle);
    std::optional<int> fewest = solver.fewestSteps();
    if (!fewest || *fewest < options.minSteps) continue;
    double fraction = solver.firstStepSolvableFraction();
    if (fraction < options.minSolvableFraction || fraction > options.maxSolvableFraction) {
      continue;
    }
    seenKeys.insert(key);
    bool toTrain = order == SplitOrder::kTrainFirst
                       ? static_cast<int>(dataset.train.size()) < trainCount
                       : static_cast<int>(dataset.test.size()) >= testCount;
    auto& split = toTrain ? dataset.train : dataset.test;
    GeneratedProblem problem;
    problem.id = problemId(seed, toTrain ? "train" : "test", split.size());
    problem.steps = solver.sampleSolution(random);
    problem.solution = renderSolution(puzzle, problem.steps);
    problem.solutionCount = solver.countSolutions();
    problem.fewestSteps = *fewest;
    problem.solvableFraction = fraction;
    problem.puzzle = std::move(puzzle);
    split.push_back(std::move(problem));
  }
  return dataset;
}

std::string problemToJsonLine(const GeneratedProblem& problem) {
  nlohmann::ordered_json rules = {{"allow_non_integer", problem.puzzle.rules.allowNonInteger},
                                  {"allow_negative", problem.puzzle.rules.allowNegative}};
  nlohmann::ordered_json line = {
      {"id", problem.id},
      {"problem", renderQuestion(problem.puzzle)},
      {"answer", std::to_string(problem.puzzle.target)},
      {"solution", problem.solution},
      {"numbers", problem.puzzle.numbers},
      {"target", problem.puzzle.target},
      {"rules", rules},
      {"source", "countdown"},
      {"solution_count", problem.solutionCount},
      {"fewest_steps", problem.fewestSteps},
      {"solvable_fraction", roundedFraction(problem.solvableFraction)},
  };
  return line.dump();
}

void writeDataset(const std::filesystem::path& dir, const GeneratedDataset& dataset,
                  std::uint64_t seed, const GeneratorOptions& options, SplitOrder order) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw IoError(dir.string(), "create folder", error.value());
  auto jsonl = [](const std::vector<GeneratedProblem>& problems) {
    std::string text;
    for (const GeneratedProblem& problem : problems) text += problemToJsonLine(problem) + "\n";
    return text;
  };
  std::string train = jsonl(dataset.train);
  std::string test = jsonl(dataset.test);
  writeFileAtomically(dir / "train.jsonl", train);
  writeFileAtomically(dir / "test.jsonl", test);
  nlohmann::ordered_json manifest = {
      {"world", "countdown"},
      {"seed", seed},
      {"options", optionsToJson(options)},
      {"split_order", order == SplitOrder::kTestFirst ? "test_first" : "train_first"},
      {"train",
       {{"file", "train.jsonl"}, {"count", dataset.train.size()}, {"sha256", sha256Hex(train)}}},
      {"test",
       {{"file", "test.jsonl"}, {"count", dataset.test.size()}, {"sha256", sha256Hex(test)}}},
  };
  writeFileAtomically(dir / "manifest.json", manifest.dump(2) + "\n");
}

}  // namespace astro::world
