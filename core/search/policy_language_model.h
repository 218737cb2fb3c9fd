// The StepPolicy backed by a language model, the built-in Llama engine or an OpenAI-compatible
// server (model::Sampler): prompts in the tokenizer's chat format, one batched generate per call (k rows per state for expansions, stopped at the
// step delimiter, each row seeded from its state's seed), token log-probabilities summed into each
// step's likelihood for its prior.
#pragma once

#include <cstdint>
#include <string>

#include "core/model/sampler.h"
#include "core/search/policy.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::search {

struct LanguageModelPolicyOptions {
  std::string systemPrompt;            // empty: no system message
  std::string stepDelimiter = "\n\n";  // the step delimiter
  // A step holding this text states the final answer, so it ends the solution even when the
  // model did not stop after it ("\\boxed" for MATH and the countdown world).
  std::string finalMarker = "\\boxed";
  double topP = 1.0;
  std::int64_t maxBatchSize = 256;  // rows decoded together (LanguageModel splits beyond it)
  int maxRolloutTokens = 1024;      // a rollout's whole continuation
  // Prefill only what a prompt adds to the engine's kept generations (a node's prompt is its
  // parent's plus one step): GenerationOptions::reusePrefixes, within this many bytes.
  bool reusePrefixes = true;
  std::int64_t prefixStoreBytes = std::int64_t(256) << 20;
  // The self-evaluation question asked after the problem and a solution (judgeSolutions); our
  // wording (the paper's prompt could not be read here, core/search/self_evaluation.h).
  std::string judgeQuestion =
      "Is the reasoning in this solution valid? Answer with one word: valid or invalid.";
};

class LanguageModelPolicy final : public StepPolicy {
 public:
  // Borrows `model` and `tokenizer`; both must outlive the policy.
  LanguageModelPolicy(const model::Sampler& model, const tokenizer::Tokenizer& tokenizer,
                      LanguageModelPolicyOptions options = {});

  std::vector<std::vector<ProposedStep>> proposeSteps(std::span<const PolicyState> states,
                                                      const StepSampling& sampling) override;
  std::vector<std::vector<ProposedStep>> rollout(std::span<const PolicyState> states,
                                                 const RolloutSampling& sampling) override;
  // Asks options.judgeQuestion about each solution `votes` times (one generate call); a vote is
  // valid when the answer's first word is "valid" or "yes".
  std::vector<std::vector<bool>> judgeSolutions(std::span<const PolicyState> states,
                                                const SelfEvaluationSampling& sampling) override;

  // The prompt the model continues for `state`: chat prompt, then the steps so far.
  std::string promptText(const PolicyState& state) const;
  // The self-evaluation prompt for the whole solution in `state`.
  std::string judgePromptText(const PolicyState& state) const;

 private:
  // Options for a call with `rowsPerState` consecutive prompts per state, each row seeded from
  // its state's seed and its copy index alone.
  model::GenerationOptions generationOptions(double temperature, int maxNewTokens,
                                             std::span<const PolicyState> states,
                                             int rowsPerState) const;
  // A rollout's continuation cut into steps at the delimiter (at most `maxSteps`), each with the
  // tokens and log-likelihood of the text it covers.
  std::vector<ProposedStep> splitIntoSteps(const model::Generation& generated, int maxSteps) const;

  const model::Sampler& model_;
  const tokenizer::Tokenizer& tokenizer_;
  LanguageModelPolicyOptions options_;
};

}  // namespace astro::search
