// What a stage that only samples needs of a model: batched generation from token-id prompts.
// The built-in engine (LanguageModel) is one; an OpenAI-compatible completions server reached
// over HTTP (core/endpoint/endpoint_sampler.h) is another, so search, self-evaluation, evaluation
// and prompt curation run the same way against either (issue #20, docs/serving.md).
#pragma once

#include <cstdint>
#include <vector>

#include "core/model/generation.h"

namespace astro::model {

class Sampler {
 public:
  virtual ~Sampler() = default;

  // One result per prompt, in order, under `options` (core/model/generation.h). Each row draws
  // from its own seed (options.rowSeeds, or rowSeed(options.seed, index)), so a row's tokens do not
  // depend on how the rows are batched or sent. Throws UsageError for bad prompts or options and
  // astro::Error when the model cannot be reached.
  virtual std::vector<Generation> generate(const std::vector<std::vector<int32_t>>& prompts,
                                           const GenerationOptions& options) const = 0;
};

}  // namespace astro::model
