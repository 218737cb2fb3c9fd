// A scripted countdown policy for MCTS tests: from the steps so far it proposes a uniformly
// random legal step, or (with `illegalProbability`) a step with wrong arithmetic, and writes the
// boxed expression once the last result hits the target or no move is left. It plays the world's
// own step format, so the world's CountdownVerifier grades its answers.
#pragma once

#include <cmath>
#include <random>

#include "core/search/policy.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_step.h"
#include "core/world/reference_solution.h"

namespace astro::test {

struct CountdownScript {
  double illegalProbability = 0.1;
};

inline search::ProposedStep countdownAnswer(const world::CountdownPuzzle& puzzle,
                                            const std::vector<world::CountdownStep>& steps) {
  const std::string expression =
      steps.empty() ? std::to_string(puzzle.numbers.front())
                    : world::expressionForSteps(puzzle, steps);
  return {.text = "\\boxed{" + expression + "}", .tokenCount = 1, .logLikelihood = 0.0,
          .final = true};
}

inline search::ProposedStep sampleCountdownStep(const search::PolicyState& state,
                                                std::mt19937_64& random,
                                                const CountdownScript& script) {
  const world::CountdownPuzzle puzzle = world::puzzleFromProblem(*state.problem);
  world::CountdownState current = world::initialState(puzzle);
  std::vector<world::CountdownStep> applied;
  for (std::string_view text : state.steps) {
    const auto parsed = world::parseStep(text);
    const auto application =
        parsed ? world::applyStep(current, parsed->left, parsed->op, parsed->right, puzzle.rules)
               : world::StepApplication{};
    if (!application.step || application.step->result != parsed->claimedResult) {
      // After a mistake the script gives up with what it has: a wrong answer.
      return countdownAnswer(puzzle, applied);
    }
    current = {application.step->remaining};
    applied.push_back(*application.step);
  }
  const bool reached = !applied.empty() && applied.back().result == puzzle.target;
  const auto legal = world::legalSteps(current, puzzle.rules);
  if (reached || legal.empty()) return countdownAnswer(puzzle, applied);

  const int index = static_cast<int>(applied.size()) + 1;
  const double choice = 1.0 / static_cast<double>(legal.size());
  world::CountdownStep step = legal[random() % legal.size()];
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  if (unit(random) < script.illegalProbability) {
    step.result = *step.result.plus(1);  // an arithmetic slip
    step.remaining.back() = step.result;
    return {.text = world::renderStep(index, step), .tokenCount = 1,
            .logLikelihood = std::log(script.illegalProbability * choice), .final = false};
  }
  return {.text = world::renderStep(index, step), .tokenCount = 1,
          .logLikelihood = std::log((1.0 - script.illegalProbability) * choice), .final = false};
}

}  // namespace astro::test
