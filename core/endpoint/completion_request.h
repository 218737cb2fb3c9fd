// The /v1/completions request for prompt rows: each prompt stands for `choices` consecutive rows
// that share it and have consecutive seeds (a single row: choices = 1), sent as token ids with
// n = choices and the first row's seed, so that a server following the rule "choice j of a request
// with seed s samples with seed s + j" (vLLM, `astro serve`) draws every row exactly as the
// built-in engine does. Several such prompts can share a request (`astro serve`: with one seed
// each).
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

// One prompt of a request: its token ids and the first of the consecutive rows it stands for
// (whose seed and token limit it carries).
struct RequestPrompt {
  std::span<const std::int32_t> ids;
  std::size_t row = 0;
};

// The JSON body for `prompts` that share n = `choices` and their first row's token limit. One
// prompt: "prompt" holds its ids and "seed" its row's seed. Several: "prompt" is the array of
// their ids (choice index = prompt index * n + j, as OpenAI's API numbers them); with
// `seedPerPrompt` (`astro serve`'s `seeds` extension, docs/serving.md) every prompt's row seed goes
// into "seeds", else only the first one's into "seed". A seed travels as the signed 64-bit integer
// with the same bits, since vLLM accepts only that range; `astro serve` reads it back as those 64
// bits.
std::string completionRequestBody(const std::string& modelName,
                                  std::span<const RequestPrompt> prompts,
                                  const model::GenerationOptions& options, std::size_t choices,
                                  bool seedPerPrompt);

}  // namespace astro::endpoint
