// The policy MCTS asks for reasoning steps: proposes candidate next steps for many states in one
// batched call, and rolls states out to a final answer in another. Torch-free, so search and its
// tests build without the model; core/search/policy_language_model.h adapts the Llama engine.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/math/problem.h"

namespace astro::search {

// A search state (ASTRO, arXiv 2507.00417, section 2.1: S_t = (x, s_0, ..., s_t)): the problem
// plus the steps taken so far. Borrowed views: valid for the duration of one policy call.
struct PolicyState {
  const math::Problem* problem = nullptr;
  std::vector<std::string_view> steps;  // root first, each without the step delimiter
  // Seeds this request's sampling. MCTS derives it from the tree position only, so a policy
  // that samples from (state, seed) gives the same steps batched or one state at a time.
  std::uint64_t seed = 0;
};

// One sampled step (an action a_{t+1} in the paper's MDP).
struct ProposedStep {
  std::string text;            // the step, without the delimiter that ended it
  int tokenCount = 0;          // policy tokens generated for it (for tokens/s)
  double logLikelihood = 0.0;  // sum of the step's token log-probabilities under the policy
  bool final = false;          // the solution ends here: the step holds the final answer
};

struct StepSampling {
  int count = 1;             // candidate steps per state (k)
  double temperature = 1.0;  // sampling temperature
  int maxStepTokens = 256;   // a step longer than this is cut (and counts as one step)
};

struct RolloutSampling {
  double temperature = 1.0;
  int maxStepTokens = 256;
  // Per state: how many more steps may be taken (the remaining depth budget); a rollout that
  // reaches it without a final step stops there.
  std::vector<int> maxSteps;
};

// Self-evaluation of a finished solution (core/search/self_evaluation.h).
struct SelfEvaluationSampling {
  int votes = 1;  // independent judgments per solution
  double temperature = 1.0;
  int maxTokens = 8;  // tokens of one verdict
};

class StepPolicy {
 public:
  virtual ~StepPolicy() = default;

  // For every state, `sampling.count` candidate next steps, in one batched call. Result[i]
  // belongs to states[i]; it may hold fewer than `count` steps (e.g. when duplicates merged).
  virtual std::vector<std::vector<ProposedStep>> proposeSteps(std::span<const PolicyState> states,
                                                              const StepSampling& sampling) = 0;

  // Continues every state step by step until a final step or sampling.maxSteps[i] steps, in one
  // batched call (the simulation phase). Result[i] holds the steps taken after states[i].
  virtual std::vector<std::vector<ProposedStep>> rollout(std::span<const PolicyState> states,
                                                         const RolloutSampling& sampling) = 0;

  // For every state, a whole solution (its last step holds the final answer), `sampling.votes`
  // independent judgments of whether its reasoning is valid (true) or not, in one batched call.
  // The default throws UsageError: a policy that cannot judge cannot run the quality filter.
  virtual std::vector<std::vector<bool>> judgeSolutions(std::span<const PolicyState> states,
                                                        const SelfEvaluationSampling& sampling);
};

// The text a verifier grades for a path: the steps joined by the step delimiter.
std::string joinSteps(std::span<const std::string_view> steps, std::string_view delimiter);

}  // namespace astro::search
