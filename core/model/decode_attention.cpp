// Decode-step attention on the CPU (detail/decode_attention.h): per (row, kv head) block, the
// scores of its query heads against every cached key, one softmax over all blocks, then the
// probability-weighted sum of the values. Shared prefix slots run first, one block per (group, kv
// head) for all of the group's rows; the rows' own slots continue the same sums, so the result
// equals attention over each row's copy of the prefix. The inner loops have an AVX2/FMA version
// chosen at run time, since the project builds for the baseline x86-64 ISA.
#include "core/model/detail/decode_attention.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/model/detail/vector_exp.h"

namespace astro::model::detail {

namespace {

// Queries against `slots` keys of `dim` floats: the query heads of one (row, kv head), or of every
// row of a shared-prefix group for one kv head. Query q reads queries[q] and writes its scores for
// these slots at scores[q] and its context at contexts[q] (added to it when `accumulate`).
struct Block {
  const float* const* queries;
  float* const* scores;
  float* const* contexts;
  int64_t queryCount;
  const float* keys;  // slot s at keys + s * dim
  const float* values;
  const float* bias;  // slot s at bias[s * biasStride]
  int64_t biasStride;
  int64_t slots, dim;
  float scale;
  bool accumulate;
};

// Slots whose bias is the float minimum (padding, gaps between a stored prefix and a prompt's
// rest) get that score without a dot product and add nothing to the context (their softmax
// weight is exactly 0), so padding costs neither compute nor memory traffic.
constexpr float kHidden = std::numeric_limits<float>::lowest();

void scoresGeneric(const Block& b) {
  for (int64_t s = 0; s < b.slots; ++s) {
    const float* key = b.keys + s * b.dim;
    const float bias = b.bias[s * b.biasStride];
    for (int64_t q = 0; q < b.queryCount; ++q) {
      if (bias == kHidden) {
        b.scores[q][s] = kHidden;
        continue;
      }
      float sum = 0;
      for (int64_t d = 0; d < b.dim; ++d) sum += b.queries[q][d] * key[d];
      b.scores[q][s] = sum * b.scale + bias;
    }
  }
}

void contextGeneric(const Block& b) {
  for (int64_t q = 0; q < b.queryCount; ++q) {
    float* out = b.contexts[q];
    if (!b.accumulate) std::fill(out, out + b.dim, 0.0f);
    for (int64_t s = 0; s < b.slots; ++s) {
      if (b.bias[s * b.biasStride] == kHidden) continue;
      const float p = b.scores[q][s];
      const float* value = b.values + s * b.dim;
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
// lanes together (the key rows of the eight slots stay in L1 across the block's queries, which
// is what a shared prefix group gains: its keys are read once for all of its rows).
__attribute__((target("avx2,fma"))) void scoresAvx2(const Block& b) {
  const __m256 hidden = _mm256_set1_ps(kHidden), scale = _mm256_set1_ps(b.scale);
  const bool vectorSlots = b.biasStride == 1 && b.dim % 8 == 0;
  int64_t s = 0;
  for (; vectorSlots && s + 8 <= b.slots; s += 8) {
    const __m256 bias = _mm256_loadu_ps(b.bias + s);
    if (_mm256_movemask_ps(_mm256_cmp_ps(bias, hidden, _CMP_EQ_OQ)) == 0xff) {
      for (int64_t q = 0; q < b.queryCount; ++q) _mm256_storeu_ps(b.scores[q] + s, hidden);
      continue;
    }
    const float* keys = b.keys + s * b.dim;
    for (int64_t q = 0; q < b.queryCount; ++q) {
      const float* query = b.queries[q];
      __m256 acc[8];
      for (auto& a : acc) a = _mm256_setzero_ps();
      for (int64_t d = 0; d < b.dim; d += 8) {
        const __m256 x = _mm256_loadu_ps(query + d);
        for (int j = 0; j < 8; ++j) {
          acc[j] = _mm256_fmadd_ps(x, _mm256_loadu_ps(keys + j * b.dim + d), acc[j]);
        }
      }
      _mm256_storeu_ps(b.scores[q] + s, _mm256_fmadd_ps(sumEach(acc), scale, bias));
    }
  }
  for (; s < b.slots; ++s) {
    const float bias = b.bias[s * b.biasStride];
    for (int64_t q = 0; q < b.queryCount; ++q) {
      b.scores[q][s] = bias == kHidden
                           ? kHidden
                           : dotAvx2(b.queries[q], b.keys + s * b.dim, b.dim) * b.scale + bias;
    }
  }
}

// The contexts of queries [q, q + Queries) over `Vectors` x 8 dims starting at `d`, held in
// registers across all slots (started from the stored context when accumulating: the sum goes on
// in slot order). Two queries at a time (the query heads that share a kv head) read each value
// vector once and give the FMAs eight independent chains instead of one query's four, which left
// the loop waiting on FMA latency (bench_mcts batched, perf: context 33 -> 29 samples per run;
// the values' memory traffic is the rest).
template <int Vectors, int Queries>
__attribute__((target("avx2,fma"))) void contextChunkAvx2(const Block& b, int64_t q, int64_t d) {
  __m256 acc[Queries][Vectors];
  for (int j = 0; j < Queries; ++j) {
    for (int i = 0; i < Vectors; ++i) {
      acc[j][i] =
          b.accumulate ? _mm256_loadu_ps(b.contexts[q + j] + d + 8 * i) : _mm256_setzero_ps();
    }
  }
  const float* weights[Queries];
  for (int j = 0; j < Queries; ++j) weights[j] = b.scores[q + j];
  for (int64_t s = 0; s < b.slots; ++s) {
    bool zero = true;  // masked slots (and underflowed ones) add nothing
    for (int j = 0; j < Queries; ++j) zero = zero && weights[j][s] == 0.0f;
    if (zero) continue;
    const float* value = b.values + s * b.dim + d;
    __m256 v[Vectors];
    for (int i = 0; i < Vectors; ++i) v[i] = _mm256_loadu_ps(value + 8 * i);
    for (int j = 0; j < Queries; ++j) {
      const __m256 w = _mm256_set1_ps(weights[j][s]);
      for (int i = 0; i < Vectors; ++i) acc[j][i] = _mm256_fmadd_ps(w, v[i], acc[j][i]);
    }
  }
  for (int j = 0; j < Queries; ++j) {
    for (int i = 0; i < Vectors; ++i) _mm256_storeu_ps(b.contexts[q + j] + d + 8 * i, acc[j][i]);
  }
}

__attribute__((target("avx2,fma"))) void contextAvx2(const Block& b) {
  int64_t q = 0;
  // In pairs where the head dimension is whole vectors; otherwise one query at a time below.
  for (; b.dim % 8 == 0 && q + 2 <= b.queryCount; q += 2) {
    int64_t d = 0;
    for (; d + 32 <= b.dim; d += 32) contextChunkAvx2<4, 2>(b, q, d);
    for (; d < b.dim; d += 8) contextChunkAvx2<1, 2>(b, q, d);
  }
  for (; q < b.queryCount; ++q) {
    int64_t d = 0;
    for (; d + 32 <= b.dim; d += 32) contextChunkAvx2<4, 1>(b, q, d);
    for (; d + 8 <= b.dim; d += 8) contextChunkAvx2<1, 1>(b, q, d);
    if (d < b.dim) {
      float* out = b.contexts[q];
      if (!b.accumulate) std::fill(out + d, out + b.dim, 0.0f);
      for (int64_t s = 0; s < b.slots; ++s) {
        const float p = b.scores[q][s];
        for (int64_t k = d; k < b.dim; ++k) out[k] += p * b.values[s * b.dim + k];
      }
    }
  }
}

// Softmax of one row of scores in place: max, exp(x - max) and its sum, times 1 / sum. Masked
// slots (the float minimum) come out exactly 0.
__attribute__((target("avx2,fma"))) void softmaxRowAvx2(float* row, int64_t slots) {
  __m256 best = _mm256_set1_ps(kHidden);
  int64_t s = 0;
  for (; s + 8 <= slots; s += 8) best = _mm256_max_ps(best, _mm256_loadu_ps(row + s));
  float max = maxOf8(best);
  for (; s < slots; ++s) max = std::max(max, row[s]);
  const __m256 shift = _mm256_set1_ps(max);
  __m256 sums = _mm256_setzero_ps();
  for (s = 0; s + 8 <= slots; s += 8) {
    const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(row + s), shift));
    _mm256_storeu_ps(row + s, e);
    sums = _mm256_add_ps(sums, e);
  }
  float sum = sumOf8(sums);
  for (; s < slots; ++s) {
    row[s] = std::exp(row[s] - max);
    sum += row[s];
  }
  const __m256 inverse = _mm256_set1_ps(1.0f / sum);
  for (s = 0; s + 8 <= slots; s += 8) {
    _mm256_storeu_ps(row + s, _mm256_mul_ps(_mm256_loadu_ps(row + s), inverse));
  }
  for (; s < slots; ++s) row[s] *= 1.0f / sum;
}

bool hasAvx2() { return cpuHasAvx2(); }
#endif

}  // namespace

// libtorch's softmax op does the same passes plus its dispatch and iterator set-up per layer and
// step; bench_mcts' batched search (perf) spent 17.5 of decode attention's 87 samples per run in
// it, and 9.6 in this.
void softmaxInPlace(torch::Tensor& scores) {
#if defined(__x86_64__)
  if (hasAvx2()) {
    const int64_t slots = scores.size(-1), rows = scores.numel() / std::max<int64_t>(1, slots);
    float* data = scores.data_ptr<float>();
    at::parallel_for(0, rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, slots)),
                     [&](int64_t begin, int64_t end) {
                       for (int64_t row = begin; row < end; ++row) {
                         softmaxRowAvx2(data + row * slots, slots);
                       }
                     });
    return;
  }
#endif
  at::_softmax_out(scores, scores, -1, false);
}

namespace {

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

// The blocks of one decode step and the query/score/context pointers they index into; kept per
// thread and reused, so a step allocates only its output tensors.
struct Plan {
  std::vector<Block> blocks;
  std::vector<const float*> queries;
  std::vector<float*> scores, contexts;
  std::vector<int64_t> work;  // per block: queries x slots, to size parallel chunks

  void clear() {
    blocks.clear();
    queries.clear();
    scores.clear();
    contexts.clear();
    work.clear();
  }
};

// Runs `step` on every block, in parallel chunks of about 32k multiply-adds.
template <typename Step>
void forEachBlock(const Plan& plan, int64_t dim, Step step) {
  int64_t total = 0;
  for (int64_t work : plan.work) total += work;
  const auto blocks = int64_t(plan.blocks.size());
  const int64_t perBlock = std::max<int64_t>(1, total * dim / std::max<int64_t>(1, blocks));
  const int64_t grain = std::max<int64_t>(1, 32768 / perBlock);
  at::parallel_for(0, blocks, grain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) step(plan.blocks[std::size_t(i)]);
  });
}

}  // namespace

bool decodeAttentionApplies(const torch::Tensor& queries) {
  return queries.device().is_cpu() && queries.scalar_type() == torch::kFloat32 &&
         !queries.requires_grad();
}

torch::Tensor decodeAttention(const torch::Tensor& queries, const torch::Tensor& keys,
                              const torch::Tensor& values, const torch::Tensor& keyBias,
                              float scale, const SharedKeys* shared) {
  const int64_t batch = queries.size(0), heads = queries.size(1), dim = queries.size(2);
  const int64_t kvHeads = keys.size(1), ownSlots = keys.size(2), groups = heads / kvHeads;
  TORCH_CHECK(keys.stride(3) == 1 && values.stride(3) == 1 && keys.stride(2) == dim &&
                  values.stride(2) == dim && keys.strides() == values.strides(),
              "decodeAttention: keys and values must be cache views with contiguous slots");
  const int64_t sharedSlots = shared ? shared->keys.size(2) : 0;
  if (shared) {
    TORCH_CHECK(shared->keys.stride(3) == 1 && shared->keys.stride(2) == dim &&
                    shared->keys.strides() == shared->values.strides() &&
                    int64_t(shared->rowGroup->size()) == batch,
                "decodeAttention: shared keys must be prefix views with contiguous slots");
  }
  const int64_t slots = sharedSlots + ownSlots;
  auto query = queries.contiguous();                                            // [B, H, D]
  auto probabilities = torch::empty({batch, heads, slots}, queries.options());  // [B, H, S]
  auto context = torch::empty({batch, heads, dim}, queries.options());          // [B, H, D]
  const float* queryData = query.data_ptr<float>();
  float* scoreData = probabilities.data_ptr<float>();
  float* contextData = context.data_ptr<float>();

  // Query heads of `row` that read kv head `kvHead`: their pointers, scores from slot `firstSlot`.
  auto addQueries = [&](Plan& plan, int64_t row, int64_t kvHead, int64_t firstSlot) {
    for (int64_t g = 0; g < groups; ++g) {
      int64_t head = row * heads + kvHead * groups + g;
      plan.queries.push_back(queryData + head * dim);
      plan.scores.push_back(scoreData + head * slots + firstSlot);
      plan.contexts.push_back(contextData + head * dim);
    }
  };
  // Blocks take their pointers from the plan's arrays once those stop growing.
  auto finish = [](Plan& plan, std::vector<std::size_t>& firstQuery) {
    for (std::size_t i = 0; i < plan.blocks.size(); ++i) {
      plan.blocks[i].queries = plan.queries.data() + firstQuery[i];
      plan.blocks[i].scores = plan.scores.data() + firstQuery[i];
      plan.blocks[i].contexts = plan.contexts.data() + firstQuery[i];
    }
  };

  // Shared slots: one block per (group, kv head) holding the queries of every row in the group.
  thread_local Plan sharedPlan, ownPlan;
  thread_local std::vector<std::size_t> sharedFirst, ownFirst;
  sharedPlan.clear();
  sharedFirst.clear();
  if (shared) {
    const auto& rowGroup = *shared->rowGroup;
    const int64_t groupCount = shared->keys.size(0);
    thread_local std::vector<std::vector<int64_t>> rowsOf;
    rowsOf.resize(std::size_t(groupCount));
    for (auto& rows : rowsOf) rows.clear();
    for (int64_t row = 0; row < batch; ++row) {
      rowsOf.at(std::size_t(rowGroup[std::size_t(row)])).push_back(row);
    }
    const float* sharedKeys = shared->keys.data_ptr<float>();
    const float* sharedValues = shared->values.data_ptr<float>();
    const float* sharedBias = shared->keyBias.data_ptr<float>();
    for (int64_t group = 0; group < groupCount; ++group) {
      const auto& rows = rowsOf[std::size_t(group)];
      if (rows.empty()) continue;
      for (int64_t kvHead = 0; kvHead < kvHeads; ++kvHead) {
        sharedFirst.push_back(sharedPlan.queries.size());
        for (int64_t row : rows) addQueries(sharedPlan, row, kvHead, 0);
        int64_t offset = group * shared->keys.stride(0) + kvHead * shared->keys.stride(1);
        sharedPlan.blocks.push_back(Block{.queries = nullptr,
                                          .scores = nullptr,
                                          .contexts = nullptr,
                                          .queryCount = int64_t(rows.size()) * groups,
                                          .keys = sharedKeys + offset,
                                          .values = sharedValues + offset,
                                          .bias = sharedBias + group * shared->keyBias.stride(0),
                                          .biasStride = shared->keyBias.stride(1),
                                          .slots = sharedSlots,
                                          .dim = dim,
                                          .scale = scale,
                                          .accumulate = false});
        sharedPlan.work.push_back(int64_t(rows.size()) * groups * sharedSlots);
      }
    }
    finish(sharedPlan, sharedFirst);
  }
  // Each row's own slots: one block per (row, kv head), continuing the shared part's context.
  ownPlan.clear();
  ownFirst.clear();
  for (int64_t row = 0; row < batch; ++row) {
    for (int64_t kvHead = 0; kvHead < kvHeads; ++kvHead) {
      ownFirst.push_back(ownPlan.queries.size());
      addQueries(ownPlan, row, kvHead, sharedSlots);
      ownPlan.blocks.push_back(Block{
          .queries = nullptr,
          .scores = nullptr,
          .contexts = nullptr,
          .queryCount = groups,
          .keys = keys.data_ptr<float>() + row * keys.stride(0) + kvHead * keys.stride(1),
          .values = values.data_ptr<float>() + row * values.stride(0) + kvHead * values.stride(1),
          .bias = keyBias.data_ptr<float>() + row * keyBias.stride(0),
          .biasStride = keyBias.stride(1),
          .slots = ownSlots,
          .dim = dim,
          .scale = scale,
          .accumulate = shared != nullptr});
      ownPlan.work.push_back(groups * ownSlots);
    }
  }
  finish(ownPlan, ownFirst);

  if (shared) forEachBlock(sharedPlan, dim, blockScores);
  forEachBlock(ownPlan, dim, blockScores);
  // In place: the blocks hold pointers into `probabilities`.
  softmaxInPlace(probabilities);
  if (shared) forEachBlock(sharedPlan, dim, blockContext);
  forEachBlock(ownPlan, dim, blockContext);
  return context;
}

}  // namespace astro::model::detail
