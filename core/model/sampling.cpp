// Next-token sampling (detail/sampling.h): the distribution of each row is shaped by temperature,
// top-k and top-p with row-wise tensor ops, then each row draws one uniform from its own
// generator and walks its cumulative distribution. Plain temperature sampling (no top-k, top-p 1,
// what search asks for) takes one fused pass per row instead: max, exp and sum, the draw, and the
// drawn token's log-probability. Sampling runs on the CPU for every device (logits [rows, vocab]
// are copied there), so the per-row generators serve CUDA as well.
#include "core/model/detail/sampling.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/model/detail/vector_exp.h"

namespace astro::model {

namespace detail {

namespace {

// The sum of `count` weights in double, in four running sums: a sequential sum's chain of
// dependent additions made the walk below a tenth of a batch-64 decode step.
double sumOf(const float* weights, int64_t count) {
  double sums[4] = {0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 4 <= count; i += 4) {
    for (int j = 0; j < 4; ++j) sums[j] += weights[i + j];
  }
  for (; i < count; ++i) sums[0] += weights[i];
  return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

// The token whose cumulative weight first exceeds `target`; whole blocks of tokens below it are
// skipped by their sums. Tokens of weight 0 (masked by top-k / top-p, or underflowed) are never
// chosen; when rounding leaves `target` past the total, the last token of positive weight is.
int64_t drawFromRow(const float* weights, int64_t vocab, double target) {
  constexpr int64_t kBlock = 32;
  double cumulative = 0;
  int64_t token = 0;
  for (; token + kBlock <= vocab; token += kBlock) {
    double block = sumOf(weights + token, kBlock);
    if (target < cumulative + block) break;
    cumulative += block;
  }
  for (; token < vocab; ++token) {
    if (weights[token] <= 0) continue;
    cumulative += weights[token];
    if (target < cumulative) return token;
  }
  for (token = vocab - 1; token > 0 && !(weights[token] > 0); --token) {
  }
  return std::max<int64_t>(token, 0);
}

// A uniform draw in [0, total) from the row's generator (one 64-bit draw per token).
double drawTarget(at::Generator* generator, double total) {
  // The generators belong to one generate call on one thread: no lock needed.
  auto* random = at::check_generator<at::CPUGeneratorImpl>(*generator);
  return double(random->random64() >> 11) * 0x1.0p-53 * total;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) float maxAvx2(const float* logits, int64_t vocab) {
  __m256 best = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  int64_t i = 0;
  for (; i + 8 <= vocab; i += 8) best = _mm256_max_ps(best, _mm256_loadu_ps(logits + i));
  float max = maxOf8(best);
  for (; i < vocab; ++i) max = std::max(max, logits[i]);
  return max;
}

__attribute__((target("avx2,fma"))) double exponentiateAvx2(const float* logits, int64_t vocab,
                                                            float max, float scale, float* weights,
                                                            bool wantLogSum) {
  const __m256 shift = _mm256_set1_ps(max), factor = _mm256_set1_ps(scale);
  __m256 sum = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= vocab; i += 8) {
    const __m256 centred = _mm256_sub_ps(_mm256_loadu_ps(logits + i), shift);
    _mm256_storeu_ps(weights + i, exp8(_mm256_mul_ps(centred, factor)));
    if (wantLogSum) sum = _mm256_add_ps(sum, exp8(centred));
  }
  double total = sumOf8(sum);
  for (; i < vocab; ++i) {
    weights[i] = std::exp((logits[i] - max) * scale);
    if (wantLogSum) total += std::exp(logits[i] - max);
  }
  return total;
}
#endif

float maxOf(const float* logits, int64_t vocab) {
#if defined(__x86_64__)
  if (cpuHasAvx2()) return maxAvx2(logits, vocab);
#endif
  return *std::max_element(logits, logits + vocab);
}

// weights[i] = exp((logits[i] - max) * scale) for the row; returns the sum of exp(logits[i] - max)
// (the softmax denominator at temperature 1, for the log-probabilities) when `wantLogSum`.
double exponentiate(const float* logits, int64_t vocab, float max, float scale, float* weights,
                    bool wantLogSum) {
#if defined(__x86_64__)
  if (cpuHasAvx2()) return exponentiateAvx2(logits, vocab, max, scale, weights, wantLogSum);
#endif
  double total = 0;
  for (int64_t i = 0; i < vocab; ++i) {
    weights[i] = std::exp((logits[i] - max) * scale);
    if (wantLogSum) total += std::exp(logits[i] - max);
  }
  return total;
}

// Temperature sampling over the whole vocabulary, fused: per row one pass for the max, one for
// the weights exp((x - max) / T) (and, for log-probabilities, sum exp(x - max)), the walk of
// drawFromRow, and log p = x - max - log sum. The tensor version (divide, softmax, then
// log_softmax and gather: seven ops and four [rows, vocab] temporaries) took 4.8% of generate in
// bench_mcts' batched search without its log-probabilities (perf); fused, with them, 1.8%.
torch::Tensor sampleWholeVocabulary(const torch::Tensor& logits, double temperature,
                                    std::span<at::Generator* const> generators,
                                    std::span<float> logprobs) {
  auto rowsLogits = logits.contiguous();
  const int64_t rows = rowsLogits.size(0), vocab = rowsLogits.size(1);
  auto tokens = torch::empty({rows}, torch::kLong);
  int64_t* tokenData = tokens.data_ptr<int64_t>();
  thread_local std::vector<float> weights;
  weights.resize(std::size_t(vocab));
  const float scale = float(1.0 / temperature);
  const bool wantLogprobs = !logprobs.empty();
  // At temperature 1 the weights' sum is the softmax denominator: no second exp pass.
  const bool separateLogSum = wantLogprobs && scale != 1.0f;
  for (int64_t row = 0; row < rows; ++row) {
    const float* x = rowsLogits.data_ptr<float>() + row * vocab;
    const float max = maxOf(x, vocab);
    const double logSum = exponentiate(x, vocab, max, scale, weights.data(), separateLogSum);
    const double total = sumOf(weights.data(), vocab);
    const int64_t token =
        drawFromRow(weights.data(), vocab, drawTarget(generators[std::size_t(row)], total));
    tokenData[row] = token;
    if (wantLogprobs) {
      logprobs[std::size_t(row)] =
          float(double(x[token] - max) - std::log(separateLogSum ? logSum : total));
    }
  }
  return tokens;
}

// One token per row of `probabilities` [rows, vocab] (float32, CPU), from one uniform draw of the
// row's generator against the row's cumulative distribution. torch::multinomial draws an
// exponential per vocabulary entry instead: rows x vocab random numbers per step, which at batch
// 64 cost more than the rest of sampling.
torch::Tensor drawFromRows(const torch::Tensor& probabilities,
                           std::span<at::Generator* const> generators) {
  auto weights = probabilities.contiguous();
  int64_t rows = weights.size(0), vocab = weights.size(1);
  auto tokens = torch::empty({rows}, torch::kLong);
  for (int64_t row = 0; row < rows; ++row) {
    const float* weight = weights.data_ptr<float>() + row * vocab;
    double target = drawTarget(generators[std::size_t(row)], sumOf(weight, vocab));
    tokens.data_ptr<int64_t>()[row] = drawFromRow(weight, vocab, target);  // target in [0, total)
  }
  return tokens;
}

// Temperature, then top-k and top-p as tensor ops, then one draw per row.
torch::Tensor shapedDraw(const torch::Tensor& logits, const GenerationOptions& options,
                         std::span<at::Generator* const> generators) {
  if (options.temperature <= 0) return logits.argmax(-1);
  auto scaled = logits / options.temperature;  // [rows, vocab]
  int64_t vocab = scaled.size(-1);
  if (options.topK > 0 && options.topK < vocab) {
    auto kth = std::get<0>(scaled.topk(options.topK, -1)).narrow(-1, options.topK - 1, 1);
    scaled = scaled.masked_fill(scaled < kth, -std::numeric_limits<float>::infinity());
  }
  if (options.topP < 1.0) {
    auto [sorted, order] = scaled.sort(-1, /*descending=*/true);
    auto probabilities = torch::softmax(sorted, -1);
    // Drop a token when the tokens ranked above it already hold top_p of the mass; the first
    // token always stays.
    auto massBefore = probabilities.cumsum(-1) - probabilities;
    auto dropSorted = massBefore > options.topP;
    auto drop = torch::zeros_like(dropSorted).scatter(-1, order, dropSorted);
    scaled = scaled.masked_fill(drop, -std::numeric_limits<float>::infinity());
  }
  return drawFromRows(torch::softmax(scaled, -1), generators);
}

}  // namespace

std::vector<at::Generator> rowGenerators(std::size_t prompts, const GenerationOptions& options) {
  if (!options.rowSeeds.empty() && options.rowSeeds.size() != prompts) {
    throw UsageError("rowSeeds has " + std::to_string(options.rowSeeds.size()) + " seeds for " +
                     std::to_string(prompts) + " prompts");
  }
  std::vector<at::Generator> generators;
  if (options.temperature <= 0) return generators;
  generators.reserve(prompts);
  for (std::size_t i = 0; i < prompts; ++i) {
    generators.push_back(at::detail::createCPUGenerator(
        options.rowSeeds.empty() ? rowSeed(options.seed, i) : options.rowSeeds[i]));
  }
  return generators;
}

torch::Tensor sampleNextTokens(const torch::Tensor& logits, const GenerationOptions& options,
                               std::span<at::Generator* const> generators,
                               std::span<float> logprobs) {
  int64_t vocab = logits.size(-1);
  const bool wholeVocabulary = (options.topK <= 0 || options.topK >= vocab) && options.topP >= 1.0;
  if (options.temperature > 0 && wholeVocabulary && logits.scalar_type() == torch::kFloat32) {
    return sampleWholeVocabulary(logits, options.temperature, generators, logprobs);
  }
  auto tokens = shapedDraw(logits, options, generators);
  if (!logprobs.empty()) {
    auto chosen =
        torch::log_softmax(logits, -1).gather(1, tokens.unsqueeze(1)).squeeze(1).contiguous();
    std::copy_n(chosen.data_ptr<float>(), logprobs.size(), logprobs.begin());
  }
  return tokens;
}

}  // namespace detail

}  // namespace astro::model
