// Attention of one new token per row against its KV cache, on the CPU in float32. at::matmul on
// [batch, kvHeads, ...] tensors runs one BLAS call per (row, kv head) through libtorch's bmm
// loop, whose per-call overhead dominates at decode sizes (128 calls of a 2x32 by 32x200 product
// at batch 64); these loops compute the same scores and context directly.
#pragma once

#include <torch/torch.h>

namespace astro::model::detail {

// Whether decodeAttention serves these tensors (CPU, float32, no autograd).
bool decodeAttentionApplies(const torch::Tensor& queries);

// queries [B, H, D] (any strides), keys and values [B, KV, S, D] with unit stride in D (cache
// views), keyBias [B, S] additive float32, scale applied to the scores. Returns the context
// [B, H, D]: softmax(scale * q.k + bias) over the S slots, times the values. Query head h reads
// kv head h / (H / KV), as grouped-query attention shares them.
torch::Tensor decodeAttention(const torch::Tensor& queries, const torch::Tensor& keys,
                              const torch::Tensor& values, const torch::Tensor& keyBias,
                              float scale);

}  // namespace astro::model::detail
