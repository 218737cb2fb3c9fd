// The GRPO objective over tokens (private to core/train): PPO-style clipped ratio with
// group-relative advantages, optional k3 KL penalty to a frozen reference, token- or
// sequence-mean aggregation.
#pragma once

#include <torch/torch.h>

#include "core/train/grpo_options.h"

namespace astro::train::detail {

struct GrpoLossOptions {
  double clipLow = 0.2;   // ratio floor 1 - clipLow
  double clipHigh = 0.2;  // ratio ceiling 1 + clipHigh
  double klCoefficient = 0.0;
  LossAggregation aggregation = LossAggregation::TokenMean;
};

struct GrpoLossInputs {
  torch::Tensor logprobs;           // [N, T] current policy, with grad
  torch::Tensor oldLogprobs;        // [N, T] policy that sampled the rollouts (no grad)
  torch::Tensor referenceLogprobs;  // [N, T] frozen reference, or undefined when KL is off
  torch::Tensor advantages;         // [N]
  torch::Tensor mask;               // [N, T] float, 1 on completion tokens
  // > 0: divide the summed loss by this instead of this batch's own token (TokenMean) or
  // sequence (SequenceMean) count, so micro-batches add up to the whole batch's mean.
  double normalizer = 0;
};

struct GrpoLossOutput {
  torch::Tensor loss;  // scalar to minimise
  double kl = 0;             // mean k3 estimate over masked tokens (0 without a reference)
  double clipFraction = 0;   // fraction of masked tokens whose ratio was clipped
  double klToRollout = 0;    // mean k3 estimate of KL(policy || rollout policy): update size
};

GrpoLossOutput grpoLoss(const GrpoLossInputs& inputs, const GrpoLossOptions& options);

}  // namespace astro::train::detail
