// Per-token log-probabilities of completions given their prompts, in one right-padded batch
// (private to core/train): what GRPO's ratio, KL and entropy are computed from.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/model/detail/llama_module.h"

namespace astro::train::detail {

struct CompletionBatch {
  torch::Tensor inputIds;    // [N, L] int64, prompt then completion, right-padded
  torch::Tensor positionIds; // [N, L]
  torch::Tensor tokenValid;  // [N, L] bool
  torch::Tensor targets;     // [N, L-1] int64: inputIds shifted left
  torch::Tensor mask;        // [N, L-1] float: 1 where the target is a completion token
};

CompletionBatch makeCompletionBatch(const std::vector<std::vector<std::int32_t>>& prompts,
                                    const std::vector<std::vector<std::int32_t>>& completions,
                                    const torch::Device& device);

struct TokenLogprobs {
  torch::Tensor logprobs;  // [N, L-1] log p(target) (0 where masked out)
  torch::Tensor entropy;   // [N, L-1] entropy of the predictive distribution (no grad)
};

// With or without grad as the caller's mode says; float32.
TokenLogprobs completionLogprobs(model::detail::LlamaModel& model, const CompletionBatch& batch,
                                 bool withEntropy);

}  // namespace astro::train::detail
