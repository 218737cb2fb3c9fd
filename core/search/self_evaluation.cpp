// filterBySelfEvaluation (self_evaluation.h): one batched vote over a tree's correct terminals.
#include "core/search/self_evaluation.h"

#include <algorithm>

#include "core/base/error.h"

namespace astro::search {

SelfEvaluationCounts filterBySelfEvaluation(SearchTree& tree, const math::Problem& problem,
                                            StepPolicy& policy,
                                            const SelfEvaluationOptions& options,
                                            std::uint64_t seedBase) {
  SelfEvaluationCounts counts;
  if (options.votes <= 0) return counts;
  const std::vector<int> solutions = tree.correctTerminals();
  if (solutions.empty()) return counts;
  std::vector<PolicyState> states;
  states.reserve(solutions.size());
  for (int id : solutions) {
    PolicyState state{.problem = &problem};
    for (int step : tree.pathFromRoot(id)) {
      if (step != 0) state.steps.push_back(tree.node(step).text);
    }
    // Votes draw from their own stream: the node id and a purpose no MCTS request uses.
    state.seed = (seedBase ^ 0x5e1fe7a1ULL) * 0x100000001b3ULL + static_cast<std::uint64_t>(id);
    states.push_back(std::move(state));
  }
  const SelfEvaluationSampling sampling{
      .votes = options.votes, .temperature = options.temperature, .maxTokens = options.maxTokens};
  const std::vector<std::vector<bool>> votes = policy.judgeSolutions(states, sampling);
  if (votes.size() != solutions.size()) {
    throw Error("self-evaluation: the policy answered " + std::to_string(votes.size()) + " of " +
                std::to_string(solutions.size()) + " solutions");
  }
  for (std::size_t i = 0; i < solutions.size(); ++i) {
    ++counts.judged;
    const auto& cast = votes[i];
    const bool unanimous = static_cast<int>(cast.size()) == options.votes &&
                           std::all_of(cast.begin(), cast.end(), [](bool valid) { return valid; });
    if (!unanimous) {
      tree.node(solutions[i]).correct = false;
      ++counts.rejected;
    }
  }
  return counts;
}

}  // namespace astro::search
