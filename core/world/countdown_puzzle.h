// One countdown puzzle (numbers, target, rules) and its two outside forms: the generic
// astro::math::Problem every pipeline stage consumes, and the question text the policy reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/math/problem.h"

namespace astro::world {

struct CountdownRules {
  // Off by default, as in the game show: every intermediate result must be a whole number.
  bool allowNonInteger = false;
  // Off by default: a step may not go below zero (a - b needs a >= b).
  bool allowNegative = false;

  friend bool operator==(const CountdownRules&, const CountdownRules&) = default;
};

struct CountdownPuzzle {
  std::vector<std::int64_t> numbers;  // as given, in the order shown to the policy
  std::int64_t target = 0;
  CountdownRules rules;
};

// "Using the numbers 3, 5, 7, 8, reach 24. Give the final expression in \boxed{}.": the classic
// countdown rules (whole results of at least 0, docs/world.md) go unsaid; a relaxed rule is a
// sentence of its own ("Fractions are allowed.", "Negative results are allowed."). The rules
// sentence once spelled out every time was a third of each base training example's tokens.
std::string renderQuestion(const CountdownPuzzle& puzzle);

// Numbers sorted, then target, then rule flags: equal keys mean the same puzzle to a solver, so
// train and test splits are deduplicated by it.
std::string canonicalKey(const CountdownPuzzle& puzzle);

// {"numbers": [...], "target": N, "rules": {"allow_non_integer": b, "allow_negative": b}}
nlohmann::json puzzleToJson(const CountdownPuzzle& puzzle);

// Reads a question renderQuestion wrote back into a puzzle, or one in the earlier long form
// ("... Use + - * / on two numbers per step, ..." with the rules spelled out); nullopt for any
// other text.
std::optional<CountdownPuzzle> parseQuestion(std::string_view question);

// Reads the fields puzzleToJson writes from a Problem's `extra` (rules optional: defaults), or,
// when `extra` has no numbers (a loader that keeps only problem/answer), parses the question.
// Throws astro::ParseError naming the problem id and the field at fault.
CountdownPuzzle puzzleFromProblem(const math::Problem& problem);

// A Problem whose question, answer (the target) and extra describe `puzzle`.
math::Problem puzzleToProblem(const CountdownPuzzle& puzzle, std::string id);

}  // namespace astro::world
