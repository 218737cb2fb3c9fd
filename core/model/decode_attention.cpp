// Decode-step attention on the CPU (detail/decode_attention.h): per (row, kv head) block, the
// scores of its query heads against every cached key, one softmax over all blocks (libtorch's
// vectorised kernel), then the probability-weighted sum of the values. The inner loops have an
// AVX2/FMA version chosen at run time, since the project builds for the baseline x86-64 ISA.
#include "core/model/detail/decode_attention.h"

#include <ATen/Parallel.h>

#include <limits>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace astro::model::detail {

namespace {

// One (row, kv head): `groups` query heads against `slots` keys of `dim` floats.
struct Block {
  const float* queries;  // query head g at queries + g * queryStride
  int64_t queryStride;
  const float* keys;  // slot s at keys + s * dim
  const float* values;
  const float* bias;  // slot s at bias[s * biasStride]
  int64_t biasStride;
  float* scores;   // [groups, slots]
  float* context;  // [groups, dim]
  int64_t groups, slots, dim;
  float scale;
};

// Slots whose bias is the float minimum (padding, gaps between a stored prefix and a prompt's
// rest) get that score without a dot product and add nothing to the context (their softmax
// weight is exactly 0), so padding costs neither compute nor memory traffic.
constexpr float kHidden = std::numeric_limits<float>::lowest();

void scoresGeneric(const Block& b) {
  for (int64_t s = 0; s < b.slots; ++s) {
    const float* key = b.keys + s * b.dim;
    if (b.bias[s * b.biasStride] == kHidden) {
      for (int64_t g = 0; g < b.groups; ++g) b.scores[g * b.slots + s] = kHidden;
      continue;
    }
    for (int64_t g = 0; g < b.groups; ++g) {
      const float* query = b.queries + g * b.queryStride;
      float sum = 0;
      for (int64_t d = 0; d < b.dim; ++d) sum += query[d] * key[d];
      b.scores[g * b.slots + s] = sum * b.scale + b.bias[s * b.biasStride];
    }
  }
}

void contextGeneric(const Block& b) {
  for (int64_t g = 0; g < b.groups; ++g) {
    std::fill(b.context + g * b.dim, b.context + (g + 1) * b.dim, 0.0f);
  }
  for (int64_t s = 0; s < b.slots; ++s) {
    if (b.bias[s * b.biasStride] == kHidden) continue;
    const float* value = b.values + s * b.dim;
    for (int64_t g = 0; g < b.groups; ++g) {
      float p = b.scores[g * b.slots + s];
      float* out = b.context + g * b.dim;
      for (int64_t d = 0; d < b.dim; ++d) out[d] += p * value[d];
    }
  }
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) float horizontalSum(__m256 v) {
  __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
  sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
  return _mm_cvtss_f32(sum);
}

__attribute__((target("avx2,fma"))) void scoresAvx2(const Block& b) {
  const int64_t vectorEnd = b.dim - b.dim % 8;
  for (int64_t s = 0; s < b.slots; ++s) {
    const float* key = b.keys + s * b.dim;
    if (b.bias[s * b.biasStride] == kHidden) {
      for (int64_t g = 0; g < b.groups; ++g) b.scores[g * b.slots + s] = kHidden;
      continue;
    }
    for (int64_t g = 0; g < b.groups; ++g) {
      const float* query = b.queries + g * b.queryStride;
      __m256 acc = _mm256_setzero_ps();
      for (int64_t d = 0; d < vectorEnd; d += 8) {
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(query + d), _mm256_loadu_ps(key + d), acc);
      }
      float sum = horizontalSum(acc);
      for (int64_t d = vectorEnd; d < b.dim; ++d) sum += query[d] * key[d];
      b.scores[g * b.slots + s] = sum * b.scale + b.bias[s * b.biasStride];
    }
  }
}

__attribute__((target("avx2,fma"))) void contextAvx2(const Block& b) {
  const int64_t vectorEnd = b.dim - b.dim % 8;
  for (int64_t g = 0; g < b.groups; ++g) {
    std::fill(b.context + g * b.dim, b.context + (g + 1) * b.dim, 0.0f);
  }
  for (int64_t s = 0; s < b.slots; ++s) {
    if (b.bias[s * b.biasStride] == kHidden) continue;
    const float* value = b.values + s * b.dim;
    for (int64_t g = 0; g < b.groups; ++g) {
      float p = b.scores[g * b.slots + s];
      __m256 weight = _mm256_set1_ps(p);
      float* out = b.context + g * b.dim;
      for (int64_t d = 0; d < vectorEnd; d += 8) {
        _mm256_storeu_ps(
            out + d, _mm256_fmadd_ps(weight, _mm256_loadu_ps(value + d), _mm256_loadu_ps(out + d)));
      }
      for (int64_t d = vectorEnd; d < b.dim; ++d) out[d] += p * value[d];
    }
  }
}

bool hasAvx2() {
  static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return supported;
}
#endif

void blockScores(const Block& b) {
#if defined(__x86_64__)
  if (hasAvx2()) return scoresAvx2(b);
#endif
  scoresGeneric(b);
}

void blockContext(const Block& b) {
#if defined(__x86_64__)
  if (hasAvx2()) return contextAvx2(b);
#endif
  contextGeneric(b);
}

}  // namespace

bool decodeAttentionApplies(const torch::Tensor& queries) {
  return queries.device().is_cpu() && queries.scalar_type() == torch::kFloat32 &&
         !queries.requires_grad();
}

torch::Tensor decodeAttention(const torch::Tensor& queries, const torch::Tensor& keys,
                              const torch::Tensor& values, const torch::Tensor& keyBias,
                              float scale) {
  const int64_t batch = queries.size(0), heads = queries.size(1), dim = queries.size(2);
  const int64_t kvHeads = keys.size(1), slots = keys.size(2), groups = heads / kvHeads;
  TORCH_CHECK(keys.stride(3) == 1 && values.stride(3) == 1 && keys.stride(2) == dim &&
                  values.stride(2) == dim && keys.strides() == values.strides(),
              "decodeAttention: keys and values must be cache views with contiguous slots");
  auto query = queries.contiguous();                                            // [B, H, D]
  auto probabilities = torch::empty({batch, heads, slots}, queries.options());  // [B, H, S]
  auto context = torch::empty({batch, heads, dim}, queries.options());          // [B, H, D]
  auto block = [&](int64_t index) {
    int64_t row = index / kvHeads, kvHead = index % kvHeads, head = kvHead * groups;
    return Block{
        .queries = query.data_ptr<float>() + (row * heads + head) * dim,
        .queryStride = dim,
        .keys = keys.data_ptr<float>() + row * keys.stride(0) + kvHead * keys.stride(1),
        .values = values.data_ptr<float>() + row * values.stride(0) + kvHead * values.stride(1),
        .bias = keyBias.data_ptr<float>() + row * keyBias.stride(0),
        .biasStride = keyBias.stride(1),
        .scores = probabilities.data_ptr<float>() + (row * heads + head) * slots,
        .context = context.data_ptr<float>() + (row * heads + head) * dim,
        .groups = groups,
        .slots = slots,
        .dim = dim,
        .scale = scale};
  };
  const int64_t blocks = batch * kvHeads;
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, groups * slots * dim));
  at::parallel_for(0, blocks, grain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) blockScores(block(i));
  });
  probabilities = torch::softmax(probabilities, -1);
  at::parallel_for(0, blocks, grain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) blockContext(block(i));
  });
  return context;
}

}  // namespace astro::model::detail
