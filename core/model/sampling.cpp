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

std::uint64_t rowSeed(std::uint64_t seed, std::uint64_t index) {
  auto splitMix = [](std::uint64_t value) {
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
  };
  return splitMix(seed ^ splitMix(index));
}

namespace detail {

namespace {

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
    double total = 0;
    for (int64_t token = 0; token < vocab; ++token) total += weight[token];
    double target = double(random->random64() >> 11) * 0x1.0p-53 * total;  // [0, total)
    double cumulative = 0;
    int64_t chosen = -1;
    for (int64_t token = 0; token < vocab; ++token) {
      if (weight[token] <= 0) continue;  // masked by top-k / top-p, or underflowed
      chosen = token;
      cumulative += weight[token];
      if (target < cumulative) break;
    }
    tokens.data_ptr<int64_t>()[row] = std::max<int64_t>(chosen, 0);
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
