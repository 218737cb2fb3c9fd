// Attention of one new token per row against its KV cache, on the CPU in float32. at::matmul on
// [batch, kvHeads, ...] tensors runs one BLAS call per (row, kv head) through libtorch's bmm
// loop, whose per-call overhead dominates at decode sizes (128 calls of a 2x32 by 32x200 product
// at batch 64); these loops compute the same scores and context directly.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace astro::model::detail {

// Whether decodeAttention serves these tensors (CPU, float32, no autograd).
bool decodeAttentionApplies(const torch::Tensor& queries);

// Slots every row of a group shares (KvCache::prefix): row r reads group (*rowGroup)[r].
struct SharedKeys {
  torch::Tensor keys;     // [groups, KV, P, D], unit stride in D, contiguous slots
  torch::Tensor values;   // [groups, KV, P, D], the strides of keys
  torch::Tensor keyBias;  // [groups, P] additive float32
  const std::vector<int64_t>* rowGroup = nullptr;  // [B]
};

// Softmax over the last dimension of `scores` (CPU float32, contiguous), in place; entries of
// -inf or the float minimum come out 0 unless the whole row is such. AVX2 where the CPU has it.
void softmaxInPlace(torch::Tensor& scores);

// queries [B, H, D] (any strides), keys and values [B, KV, S, D] with unit stride in D (cache
// views), keyBias [B, S] additive float32, scale applied to the scores. Returns the context
// [B, H, D]: softmax(scale * q.k + bias) over the S slots, times the values. Query head h reads
// kv head h / (H / KV), as grouped-query attention shares them. With `shared`, every row's slots
// are its group's P shared slots followed by its own S: the softmax runs over all P + S.
torch::Tensor decodeAttention(const torch::Tensor& queries, const torch::Tensor& keys,
                              const torch::Tensor& values, const torch::Tensor& keyBias,
                              float scale, const SharedKeys* shared = nullptr);

}  // namespace astro::model::detail
