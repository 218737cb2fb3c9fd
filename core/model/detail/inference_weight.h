// A Linear's weight kept transposed ([in, out], contiguous) for CPU inference. x W^T with the
// [out, in] weight takes OpenBLAS's transposed path, which for a few rows is 2-3x slower than
// x times a row-major [in, out] matrix (4 rows by a 128x352 weight: 13 vs 4 us), and a decode
// step is exactly that. The copy is rebuilt when the weight changes (its version counter moves:
// optimizer steps, loads); with autograd on, or off the CPU, the plain linear runs. Several
// Linears that read the same input (q/k/v, gate/up) share one such matrix, [in, out1 + out2 +
// ...]: one product per step instead of one per projection, so the input is packed once and the
// small-matrix call overhead is paid once.
#pragma once

#include <torch/torch.h>

#include <initializer_list>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

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
  // x [..., in] -> [..., sum of outs], the projections side by side in `linears` order; an
  // undefined tensor where the copy does not serve (autograd on, off the CPU, another dtype):
  // the caller then runs the Linears one by one.
  torch::Tensor applyFused(const torch::Tensor& x,
                           std::initializer_list<const torch::nn::Linear*> linears);

 private:
  struct Part {
    const torch::Tensor* weight;
    const torch::Tensor* bias;  // may be undefined
  };
  // The cached product for `parts` (rebuilt when any of their tensors moved), or undefined.
  torch::Tensor product(const torch::Tensor& x, std::span<const Part> parts);

  std::mutex mutex_;          // generate() may run on several threads
  torch::Tensor transposed_;  // [in, sum of outs]
  torch::Tensor bias_;        // [sum of outs] or undefined
  using Source = std::pair<const void*, uint32_t>;  // a weight or bias and its version
  std::vector<Source> sources_;
};

}  // namespace astro::model::detail
