// torch::optim::AdamW with the per-parameter update in one pass over memory on the CPU: the
// library's step runs six tensor ops per parameter (each a full read and write), which for a
// 5M-parameter model is about 400 MB of traffic per step against 140 MB here. State (step,
// exp_avg, exp_avg_sq), options and serialization are AdamW's, so checkpoints written by either
// load into the other; tensors the loop does not cover (GPU, other dtypes, amsgrad) take AdamW's
// own ops.
#pragma once

#include <torch/torch.h>

namespace astro::model::detail {

// One AdamW step over `count` contiguous float32 elements in place: decoupled decay
// (param *= 1 - lr * weightDecay), moments, bias-corrected denominator, update; the arithmetic of
// torch::optim::AdamW in its order, eight floats at a time with AVX2, split over torch's threads.
// `step` is 1-based (the bias corrections use it).
struct AdamWElementStep {
  double learningRate = 1e-3;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0;
  int64_t step = 1;
};
void adamwUpdateFloat(const AdamWElementStep& step, float* param, const float* grad,
                      float* expAvg, float* expAvgSq, int64_t count);

class FusedAdamW : public torch::optim::AdamW {
 public:
  using torch::optim::AdamW::AdamW;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

}  // namespace astro::model::detail
