// A toy world for MCTS unit tests, small enough to check by hand: a state is a running sum, a
// step is "+1", "+2" or "+3", and once the sum reaches the problem's `extra.limit` the policy
// writes "answer: <sum>". The verifier accepts the answer that equals the gold answer.
#pragma once

#include <cmath>
#include <random>
#include <string>

#include "core/math/problem.h"
#include "core/math/verifier.h"
#include "core/search/policy.h"

namespace astro::test {

inline int toySum(const search::PolicyState& state) {
  int sum = 0;
  for (std::string_view step : state.steps) sum += step.back() - '0';
  return sum;
}

// "+1", "+2", "+3" with probabilities 0.5, 0.3, 0.2 (one token each, log-likelihood log p) until
// the sum reaches the limit; then the final "answer: <sum>".
inline search::ProposedStep sampleToyStep(const search::PolicyState& state,
                                          std::mt19937_64& random) {
  const int sum = toySum(state);
  if (sum >= state.problem->extra.value("limit", 6)) {
    return {.text = "answer: " + std::to_string(sum), .tokenCount = 2, .logLikelihood = 0.0,
            .final = true};
  }
  const auto draw = random() % 10;
  const int increment = draw < 5 ? 1 : draw < 8 ? 2 : 3;
  const double probability = increment == 1 ? 0.5 : increment == 2 ? 0.3 : 0.2;
  return {.text = "+" + std::to_string(increment), .tokenCount = 1,
          .logLikelihood = std::log(probability), .final = false};
}

// Grades "answer: N" as the last line of the output against the gold answer.
class ToyVerifier : public math::Verifier {
 public:
  std::string name() const override { return "toy"; }
  math::Verdict grade(const math::Problem& problem, std::string_view output) const override {
    ++calls;
    math::Verdict verdict;
    const std::size_t at = output.rfind("answer: ");
    if (at == std::string_view::npos) return verdict;
    verdict.answerFound = true;
    verdict.answerOffset = at + 8;
    verdict.extracted = std::string(output.substr(at + 8));
    verdict.correct = verdict.extracted == problem.answer;
    verdict.rule = verdict.correct ? "equal" : "different";
    return verdict;
  }
  mutable int calls = 0;
};

inline math::Problem toyProblem(std::string id, int limit, int gold) {
  math::Problem problem;
  problem.id = std::move(id);
  problem.question = "Count up to " + std::to_string(limit) + " (" + problem.id + ")";
  problem.answer = std::to_string(gold);
  problem.source = "toy";
  problem.extra = {{"limit", limit}};
  return problem;
}

}  // namespace astro::test
