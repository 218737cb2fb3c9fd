// The /v1/completions request for `choices` consecutive prompt rows that share one prompt and
// consecutive seeds (a single row: choices = 1): the prompt as token ids, n = choices and the first
// row's seed, so that a server following the rule "choice j of a request with seed s samples with
// seed s + j" (vLLM, `astro serve`) draws every row exactly as the built-in engine does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/model/generation.h"

namespace astro::endpoint {

// The row's seed: options.rowSeeds[row], or model::rowSeed(options.seed, row).
std::uint64_t requestSeed(const model::GenerationOptions& options, std::size_t row);

// The row's token limit: options.rowMaxNewTokens[row], or options.maxNewTokens.
std::int64_t requestMaxTokens(const model::GenerationOptions& options, std::size_t row);

// The JSON body. The seed travels as the signed 64-bit integer with the same bits, since vLLM
// accepts only that range; `astro serve` reads it back as those 64 bits.
std::string completionRequestBody(const std::string& modelName,
                                  std::span<const std::int32_t> prompt,
                                  const model::GenerationOptions& options, std::size_t row,
                                  std::size_t choices = 1);

}  // namespace astro::endpoint
