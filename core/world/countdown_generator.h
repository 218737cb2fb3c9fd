// Seeded generation of solvable countdown puzzles with difficulty knobs, split into train and
// test sets that never share a puzzle, and written as JSONL the math dataset loader reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_step.h"

namespace astro::world {

struct GeneratorOptions {
  int numberCount = 4;  // numbers per puzzle, 3-6 (the solver's work grows ~10x per number)
  std::int64_t minNumber = 1;
  std::int64_t maxNumber = 10;
  std::int64_t minTarget = 10;
  std::int64_t maxTarget = 50;
  CountdownRules rules;
  // The target must need at least this many steps, so every solution is a chain of steps.
  int minSteps = 2;
  // Keep puzzles whose first-step solvable fraction lies in [minSolvableFraction,
  // maxSolvableFraction]; lowering the maximum makes mistakes more likely.
  double minSolvableFraction = 0.0;
  double maxSolvableFraction = 1.0;
};

// Throws astro::UsageError naming the knob that is out of range.
void validate(const GeneratorOptions& options);

struct GeneratedProblem {
  std::string id;  // "countdown-<seed>-<split>-<index>"
  CountdownPuzzle puzzle;
  std::vector<CountdownStep> steps;  // the reference solution, uniform over solution paths
  std::string solution;              // renderSolution(puzzle, steps)
  std::uint64_t solutionCount = 0;   // CountdownSolver::countSolutions()
  int fewestSteps = 0;
  double solvableFraction = 0.0;  // CountdownSolver::firstStepSolvableFraction()
};

struct GeneratedDataset {
  std::vector<GeneratedProblem> train;
  std::vector<GeneratedProblem> test;
};

// Which split takes the first distinct puzzles of the stream. The split drawn second gets what
// the first left, and when the two nearly exhaust the knobs' puzzles that is a biased rest
// (puzzles with repeated numbers are 6x rarer draws than ones without): kTestFirst keeps a small
// held-out split a uniform draw when a large train split takes almost every puzzle.
enum class SplitOrder { kTrainFirst, kTestFirst };

// One random stream per seed: the first `trainCount` distinct puzzles go to train, the next
// `testCount` distinct ones to test, so train is the same whatever `testCount` is (kTestFirst:
// the other way round). Throws astro::Error when the knobs admit too few distinct solvable
// puzzles.
GeneratedDataset generateDataset(std::uint64_t seed, int trainCount, int testCount,
                                 const GeneratorOptions& options,
                                 SplitOrder order = SplitOrder::kTrainFirst);

// One JSONL line (no newline): {"id","problem","answer","solution","numbers","target","rules",
// "source","solution_count","fewest_steps","solvable_fraction"}.
std::string problemToJsonLine(const GeneratedProblem& problem);

// Writes DIR/train.jsonl, DIR/test.jsonl and DIR/manifest.json (seed, knobs, split order, counts,
// SHA-256 of both files), each atomically; creates DIR.
void writeDataset(const std::filesystem::path& dir, const GeneratedDataset& dataset,
                  std::uint64_t seed, const GeneratorOptions& options,
                  SplitOrder order = SplitOrder::kTrainFirst);

}  // namespace astro::world
