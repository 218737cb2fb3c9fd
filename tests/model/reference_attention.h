// Plain tensor-op references for the model's fused kernels, shared by the model tests: the largest
// elementwise difference of two tensors, and one decode step's attention written as softmax over
// keys and values repeated per query head.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace astro::test {

inline double maxDifference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

// queries [B, H, D], keys and values [B, KV, S, D], bias [B, S] (0 or the float minimum): the
// context [B, H, D] of decode attention with H / KV query heads per key-value head.
inline torch::Tensor referenceDecodeAttention(const torch::Tensor& queries,
                                              const torch::Tensor& keys,
                                              const torch::Tensor& values,
                                              const torch::Tensor& bias, float scale) {
  const int64_t perKvHead = queries.size(1) / keys.size(1);
  auto repeatedKeys = keys.repeat_interleave(perKvHead, 1);      // [B, H, S, D]
  auto repeatedValues = values.repeat_interleave(perKvHead, 1);  // [B, H, S, D]
  auto scores = torch::matmul(queries.unsqueeze(2), repeatedKeys.transpose(2, 3)) * scale +
                bias.unsqueeze(1).unsqueeze(1);  // [B, H, 1, S]
  return torch::matmul(torch::softmax(scores, -1), repeatedValues).squeeze(2);
}

}  // namespace astro::test
