// Next-token sampling for batched generation: temperature, top-k and top-p shape each row's
// distribution, then every row draws from its own generator, seeded per prompt
// (GenerationOptions::rowSeeds), so a row's tokens never depend on which rows share its batch.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/torch.h>

#include <span>
#include <vector>

#include "core/model/language_model.h"

namespace astro::model::detail {

// One CPU generator per prompt, seeded from options.rowSeeds or rowSeed(options.seed, index);
// empty at temperature 0 (greedy draws nothing). Throws UsageError when rowSeeds has another
// size than `prompts`.
std::vector<at::Generator> rowGenerators(std::size_t prompts, const GenerationOptions& options);

// Next token per row from logits [rows, vocab] (float32, CPU): argmax at temperature 0, otherwise
// one draw per row, from generators[row], of the temperature-scaled distribution restricted to
// the top-k and top-p tokens. Returns [rows] int64. With `logprobs` (one per row), also writes
// each drawn token's log-probability under the unshaped distribution (log_softmax of the logits,
// what GenerationOptions::returnLogprobs reports).
torch::Tensor sampleNextTokens(const torch::Tensor& logits, const GenerationOptions& options,
                               std::span<at::Generator* const> generators,
                               std::span<float> logprobs = {});

}  // namespace astro::model::detail
