// A StepPolicy built from a per-step sampling function: how tests and toy worlds drive MCTS
// without a language model (e.g. a Countdown sampler that proposes legal and illegal steps with
// given probabilities). Deterministic: every request's random stream starts from its seed.
#pragma once

#include <functional>
#include <random>

#include "core/search/policy.h"

namespace astro::search {

// Draws one next step for `state` from `random`. Must be a function of (state, random) only.
using StepSampler = std::function<ProposedStep(const PolicyState& state, std::mt19937_64& random)>;
// One self-evaluation vote on the whole solution in `state`: true for "valid reasoning".
using SolutionJudge = std::function<bool(const PolicyState& state, std::mt19937_64& random)>;

class CallbackStepPolicy final : public StepPolicy {
 public:
  // Without a judge, judgeSolutions throws (StepPolicy's default).
  explicit CallbackStepPolicy(StepSampler sampler, SolutionJudge judge = {});

  std::vector<std::vector<ProposedStep>> proposeSteps(std::span<const PolicyState> states,
                                                      const StepSampling& sampling) override;
  std::vector<std::vector<ProposedStep>> rollout(std::span<const PolicyState> states,
                                                 const RolloutSampling& sampling) override;
  std::vector<std::vector<bool>> judgeSolutions(std::span<const PolicyState> states,
                                                const SelfEvaluationSampling& sampling) override;

  // How many batched calls and states it has served (tests check the batching).
  int proposeCalls() const { return proposeCalls_; }
  int rolloutCalls() const { return rolloutCalls_; }
  int judgeCalls() const { return judgeCalls_; }
  long long statesServed() const { return statesServed_; }

 private:
  StepSampler sampler_;
  SolutionJudge judge_;
  int proposeCalls_ = 0;
  int rolloutCalls_ = 0;
  int judgeCalls_ = 0;
  long long statesServed_ = 0;
};

}  // namespace astro::search
