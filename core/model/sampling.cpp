// Next-token sampling (detail/sampling.h): the distribution of each row is shaped by temperature,
// top-k and top-p with row-wise tensor ops, then each row draws one uniform from its own
// generator and walks its cumulative distribution. Sampling runs on the CPU for every device
// (logits [rows, vocab] are copied there), so the per-row generators serve CUDA as well.
#include "core/model/detail/sampling.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <limits>
#include <string>

#include "core/base/error.h"

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
    // The generators belong to one generate call on one thread: no lock needed.
    auto* random = at::check_generator<at::CPUGeneratorImpl>(*generators[std::size_t(row)]);
    const float* weight = weights.data_ptr<float>() + row * vocab;
    double target = double(random->random64() >> 11) * 0x1.0p-53 * sumOf(weight, vocab);
    tokens.data_ptr<int64_t>()[row] = drawFromRow(weight, vocab, target);  // target in [0, total)
  }
  return tokens;
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

}  // namespace detail

}  // namespace astro::model
