// From a checked request to what the engine runs: each choice's prompt tokens and generation
// options. Prompts are tokenized here (text prompts get the tokenizer's BOS, as Hugging Face
// tokenizers add it; chat messages go through the model's chat format), checked against the
// vocabulary and the context, and each choice gets its seed: choice i of a request with seed s
// draws from s + i, so n = 1 equals LanguageModel::generate with rowSeeds = {s}; with the
// `seeds` extension, choice j of prompt p draws from seeds[p] + j. Torch-free.
#pragma once

#include <cstdint>
#include <vector>

#include "core/model/generation.h"
#include "core/serve/completion_request.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::serve {

struct ServeLimits {
  int64_t contextTokens = 0;  // prompt + max_tokens at most
  int32_t vocabSize = 0;      // the model's: prompt and stop ids must be below it
};

struct ChoicePlan {
  std::size_t promptIndex = 0;
  std::vector<int32_t> prompt;
  model::GenerationOptions options;  // rowSeeds holds the choice's one seed
};

struct CompletionPlan {
  std::vector<ChoicePlan> choices;  // in choice-index order (prompt index * n + j)
  int64_t promptTokens = 0;         // summed over the prompts (each counted once, whatever n)
};

// Throws ApiError (400) for an empty prompt, ids outside the vocabulary, or a prompt plus
// max_tokens over the context. `seed` is the request's seed, or a random one when it has none.
CompletionPlan planCompletion(const CompletionRequest& request,
                              const tokenizer::Tokenizer& tokenizer, const ServeLimits& limits,
                              uint64_t seed);

// A seed for a request that names none.
uint64_t randomSeed();

}  // namespace astro::serve
