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
// Eight vectors -> one vector of their eight horizontal sums (lane j = sum of v[j]).
__attribute__((target("avx2,fma"))) __m256 sumEach(const __m256 v[8]) {
  __m256 pairs01 = _mm256_hadd_ps(v[0], v[1]), pairs23 = _mm256_hadd_ps(v[2], v[3]);
  __m256 pairs45 = _mm256_hadd_ps(v[4], v[5]), pairs67 = _mm256_hadd_ps(v[6], v[7]);
  __m256 quads0123 = _mm256_hadd_ps(pairs01, pairs23);  // lane halves: dims 0-3 | dims 4-7
  __m256 quads4567 = _mm256_hadd_ps(pairs45, pairs67);
  return _mm256_add_ps(_mm256_permute2f128_ps(quads0123, quads4567, 0x20),
                       _mm256_permute2f128_ps(quads0123, quads4567, 0x31));
}

__attribute__((target("avx2,fma"))) float dotAvx2(const float* a, const float* b, int64_t n) {
  __m256 acc = _mm256_setzero_ps();
  int64_t d = 0;
  for (; d + 8 <= n; d += 8)
    acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + d), _mm256_loadu_ps(b + d), acc);
  __m128 half = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  half = _mm_add_ps(half, _mm_movehl_ps(half, half));
  float sum = _mm_cvtss_f32(_mm_add_ss(half, _mm_movehdup_ps(half)));
  for (; d < n; ++d) sum += a[d] * b[d];
  return sum;
}

// Scores eight slots at a time: one accumulator per slot over the head dimension, summed across
// lanes together (the key rows of the eight slots stay in L1 across the query heads).
__attribute__((target("avx2,fma"))) void scoresAvx2(const Block& b) {
  const __m256 hidden = _mm256_set1_ps(kHidden), scale = _mm256_set1_ps(b.scale);
  const bool vectorSlots = b.biasStride == 1 && b.dim % 8 == 0;
  int64_t s = 0;
  for (; vectorSlots && s + 8 <= b.slots; s += 8) {
    const __m256 bias = _mm256_loadu_ps(b.bias + s);
    if (_mm256_movemask_ps(_mm256_cmp_ps(bias, hidden, _CMP_EQ_OQ)) == 0xff) {
      for (int64_t g = 0; g < b.groups; ++g) _mm256_storeu_ps(b.scores + g * b.slots + s, hidden);
      continue;
    }
    const float* keys = b.keys + s * b.dim;
    for (int64_t g = 0; g < b.groups; ++g) {
      const float* query = b.queries + g * b.queryStride;
      __m256 acc[8];
      for (auto& a : acc) a = _mm256_setzero_ps();
      for (int64_t d = 0; d < b.dim; d += 8) {
        const __m256 q = _mm256_loadu_ps(query + d);
        for (int j = 0; j < 8; ++j) {
          acc[j] = _mm256_fmadd_ps(q, _mm256_loadu_ps(keys + j * b.dim + d), acc[j]);
        }
      }
      _mm256_storeu_ps(b.scores + g * b.slots + s, _mm256_fmadd_ps(sumEach(acc), scale, bias));
    }
  }
  for (; s < b.slots; ++s) {
    float bias = b.bias[s * b.biasStride];
    for (int64_t g = 0; g < b.groups; ++g) {
      b.scores[g * b.slots + s] =
          bias == kHidden
              ? kHidden
              : dotAvx2(b.queries + g * b.queryStride, b.keys + s * b.dim, b.dim) * b.scale + bias;
    }
  }
}

// The context of one query head over `Vectors` x 8 dims starting at `d`, held in registers
// across all slots.
template <int Vectors>
__attribute__((target("avx2,fma"))) void contextChunkAvx2(const Block& b, int64_t g, int64_t d) {
  __m256 acc[Vectors];
  for (auto& a : acc) a = _mm256_setzero_ps();
  const float* weights = b.scores + g * b.slots;
  for (int64_t s = 0; s < b.slots; ++s) {
    if (weights[s] == 0.0f) continue;  // masked slots (and underflowed ones) add nothing
    const __m256 w = _mm256_set1_ps(weights[s]);
    const float* value = b.values + s * b.dim + d;
    for (int i = 0; i < Vectors; ++i) {
      acc[i] = _mm256_fmadd_ps(w, _mm256_loadu_ps(value + 8 * i), acc[i]);
    }
  }
  for (int i = 0; i < Vectors; ++i) _mm256_storeu_ps(b.context + g * b.dim + d + 8 * i, acc[i]);
}

__attribute__((target("avx2,fma"))) void contextAvx2(const Block& b) {
  for (int64_t g = 0; g < b.groups; ++g) {
    int64_t d = 0;
    for (; d + 32 <= b.dim; d += 32) contextChunkAvx2<4>(b, g, d);
    for (; d + 8 <= b.dim; d += 8) contextChunkAvx2<1>(b, g, d);
    if (d < b.dim) {
      float* out = b.context + g * b.dim;
      std::fill(out + d, out + b.dim, 0.0f);
      for (int64_t s = 0; s < b.slots; ++s) {
        float p = b.scores[g * b.slots + s];
        for (int64_t k = d; k < b.dim; ++k) out[k] += p * b.values[s * b.dim + k];
      }
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
