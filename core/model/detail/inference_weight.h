// A Linear's weight kept transposed ([in, out], contiguous) for CPU inference. x W^T with the
// [out, in] weight takes OpenBLAS's transposed path, which for a few rows is 2-3x slower than
// x times a row-major [in, out] matrix (4 rows by a 128x352 weight: 13 vs 4 us), and a decode
// step is exactly that. The copy is rebuilt when the weight changes (its version counter moves:
// optimizer steps, loads); with autograd on, or off the CPU, the plain linear runs.
#pragma once

#include <torch/torch.h>

#include <mutex>

namespace astro::model::detail {

class InferenceWeight {
 public:
  InferenceWeight() = default;
  InferenceWeight(const InferenceWeight&) = delete;
  InferenceWeight& operator=(const InferenceWeight&) = delete;

  // x [..., in] -> [..., out]: x W^T + bias.
  torch::Tensor apply(const torch::Tensor& x, const torch::Tensor& weight,
                      const torch::Tensor& bias = {});
  torch::Tensor apply(const torch::nn::Linear& linear, const torch::Tensor& x) {
    return apply(x, linear->weight, linear->bias);
  }

 private:
  std::mutex mutex_;  // generate() may run on several threads
  torch::Tensor transposed_;
  const void* source_ = nullptr;
  uint32_t version_ = 0;
};

}  // namespace astro::model::detail
