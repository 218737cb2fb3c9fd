#include "core/train/detail/grpo_loss.h"

namespace astro::train::detail {

namespace {
// Mean of per-token values under `mask`: over all tokens of the batch, or per sequence then
// over sequences (every completion weighs the same whatever its length).
torch::Tensor aggregate(const torch::Tensor& values, const torch::Tensor& mask,
                        LossAggregation aggregation, double normalizer) {
  if (aggregation == LossAggregation::TokenMean) {
    auto total = (values * mask).sum();
    return normalizer > 0 ? total / normalizer : total / mask.sum().clamp_min(1.0);
  }
  auto perSequence = (values * mask).sum(1) / mask.sum(1).clamp_min(1.0);  // [N]
  return normalizer > 0 ? perSequence.sum() / normalizer : perSequence.mean();
}
}  // namespace

GrpoLossOutput grpoLoss(const GrpoLossInputs& inputs, const GrpoLossOptions& options) {
  auto ratio = torch::exp(inputs.logprobs - inputs.oldLogprobs);  // [N, T]
  auto advantage = inputs.advantages.unsqueeze(1);                // [N, 1]
  auto unclipped = ratio * advantage;
  auto clipped = torch::clamp(ratio, 1.0 - options.clipLow, 1.0 + options.clipHigh) * advantage;
  auto perToken = -torch::min(unclipped, clipped);  // [N, T]

  GrpoLossOutput output;
  double tokens = std::max(1.0, inputs.mask.sum().item<double>());
  {
    torch::NoGradGuard noGrad;
    auto wasClipped = (unclipped != clipped).to(torch::kFloat32) * inputs.mask;
    output.clipFraction = wasClipped.sum().item<double>() / tokens;
    auto logRatio = inputs.oldLogprobs - inputs.logprobs;
    output.klToRollout =
        ((torch::exp(logRatio) - logRatio - 1.0) * inputs.mask).sum().item<double>() / tokens;
  }
  if (options.klCoefficient > 0 && inputs.referenceLogprobs.defined()) {
    // k3 estimator of KL(policy || reference): exp(ref - pi) - (ref - pi) - 1 >= 0, zero when
    // the two agree.
    auto logRatio = inputs.referenceLogprobs - inputs.logprobs;
    auto kl = torch::exp(logRatio) - logRatio - 1.0;
    perToken = perToken + options.klCoefficient * kl;
    output.kl = ((kl * inputs.mask).sum() / tokens).item<double>();
  }
  output.loss = aggregate(perToken, inputs.mask, options.aggregation, inputs.normalizer);
  return output;
}

}  // namespace astro::train::detail
