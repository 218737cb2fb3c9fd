// CallbackStepPolicy: k draws per state for expansion, repeated draws until a final step for
// rollouts, each request on its own random stream seeded from PolicyState::seed.
#include "core/search/policy_callback.h"

#include <algorithm>
#include <utility>

#include "core/base/error.h"

namespace astro::search {

CallbackStepPolicy::CallbackStepPolicy(StepSampler sampler, SolutionJudge judge)
    : sampler_(std::move(sampler)), judge_(std::move(judge)) {
  if (!sampler_) throw Error("CallbackStepPolicy: the step sampler is empty");
}

std::vector<std::vector<ProposedStep>> CallbackStepPolicy::proposeSteps(
    std::span<const PolicyState> states, const StepSampling& sampling) {
  ++proposeCalls_;
  statesServed_ += static_cast<long long>(states.size());
  std::vector<std::vector<ProposedStep>> proposals(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    std::mt19937_64 random(states[i].seed);
    for (int draw = 0; draw < sampling.count; ++draw) {
      proposals[i].push_back(sampler_(states[i], random));
    }
  }
  return proposals;
}

std::vector<std::vector<ProposedStep>> CallbackStepPolicy::rollout(
    std::span<const PolicyState> states, const RolloutSampling& sampling) {
  if (sampling.maxSteps.size() != states.size()) {
    throw Error("CallbackStepPolicy::rollout: maxSteps has " +
                std::to_string(sampling.maxSteps.size()) + " entries for " +
                std::to_string(states.size()) + " states");
  }
  ++rolloutCalls_;
  statesServed_ += static_cast<long long>(states.size());
  std::vector<std::vector<ProposedStep>> rollouts(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    std::mt19937_64 random(states[i].seed);
    PolicyState state = states[i];
    auto& taken = rollouts[i];
    // `state.steps` views the texts in `taken`: no reallocation may move them.
    taken.reserve(static_cast<std::size_t>(std::max(0, sampling.maxSteps[i])));
    while (static_cast<int>(taken.size()) < sampling.maxSteps[i]) {
      taken.push_back(sampler_(state, random));
      if (taken.back().final) break;
      state.steps.push_back(taken.back().text);
    }
  }
  return rollouts;
}

std::vector<std::vector<bool>> CallbackStepPolicy::judgeSolutions(
    std::span<const PolicyState> states, const SelfEvaluationSampling& sampling) {
  if (!judge_) return StepPolicy::judgeSolutions(states, sampling);
  ++judgeCalls_;
  std::vector<std::vector<bool>> votes(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    std::mt19937_64 random(states[i].seed);
    for (int vote = 0; vote < sampling.votes; ++vote) votes[i].push_back(judge_(states[i], random));
  }
  return votes;
}

}  // namespace astro::search
