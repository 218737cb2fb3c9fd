// Generation requests and results shared by every sampler (core/model/sampler.h): the built-in
// engine and OpenAI-compatible servers. Torch-free.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace astro::model {

struct GenerationOptions {
  int64_t maxNewTokens = 64;
  // Per prompt, a lower limit than maxNewTokens (empty: maxNewTokens for every row), so a row's
  // length does not depend on the limits of the rows batched with it.
  std::vector<int64_t> rowMaxNewTokens;
  double temperature = 0.0;  // 0: greedy
  double topP = 1.0;         // nucleus sampling; 1 keeps every token
  int64_t topK = 0;          // 0: no limit
  uint64_t seed = 0;         // same seed, same prompts, same options: same output
  // One seed per prompt: each row samples from its own generator, so a row's tokens depend on its
  // prompt and seed only, never on the rows that share its batch (batch size, maxBatchSize
  // splitting, rows finishing early), up to logits that differ in their last bits between batch
  // compositions (docs/mcts.md, Batching and determinism). Empty: rowSeed(seed, prompt index).
  std::vector<uint64_t> rowSeeds;
  bool stopAtEos = true;  // stop at config.json's eos_token_id
  std::vector<int32_t> stopIds;
  std::vector<std::string> stopStrings;  // need `decode`
  // Token ids -> text, for stop strings (e.g. a tokenizer's decode).
  std::function<std::string(std::span<const int32_t>)> decode;
  bool returnLogprobs = false;  // log p(token) under the unmodified model (temperature 1)
  int64_t maxBatchSize = 64;    // prompts decoded together; more are run in successive batches
  // Rows with identical prompts (k samples of one state) prefill it once and copy its keys and
  // values; off only to check that sharing changes nothing.
  bool sharePromptPrefill = true;
  // Keep every generation's keys and values (prompt and generated tokens) in the model, and
  // prefill only what follows the longest kept sequence a prompt starts with: MCTS prompts extend
  // earlier ones by a step. Logits equal a fresh computation up to float rounding. Least recently
  // used sequences are dropped beyond `prefixStoreBytes`.
  bool reusePrefixes = false;
  int64_t prefixStoreBytes = int64_t(256) << 20;
};

// The seed of the prompt at `index` when GenerationOptions::rowSeeds is empty.
uint64_t rowSeed(uint64_t seed, uint64_t index);

// The seed of copy `copy` of the k samples of one prompt drawn from one state seed: consecutive
// seeds first + copy, first = rowSeed(stateSeed, 0). Consecutive because that is the rule vLLM
// (v1/engine/parallel_sampling.py: child j of a request with seed s gets seed s + j) and
// `astro serve` apply to the n choices of one request, so the k copies can travel as one request
// with n = k and seed `first` and still draw what k separate rows draw here.
uint64_t copySeed(uint64_t stateSeed, uint64_t copy);

// Throws UsageError for options no sampler can honour: maxNewTokens < 1, a negative temperature or
// top-k, top-p outside (0, 1].
void checkSamplingOptions(const GenerationOptions& options);
// checkSamplingOptions, and for a batch: no empty prompt, rowSeeds and rowMaxNewTokens empty or
// one per prompt, every row limit at least 1. The messages name the prompt or row.
void checkGenerationRequest(const std::vector<std::vector<int32_t>>& prompts,
                            const GenerationOptions& options);

enum class FinishReason { kStopToken, kStopString, kLength };
std::string finishReasonName(FinishReason reason);  // "stop_token", "stop_string", "length"

struct Generation {
  std::vector<int32_t> ids;  // generated ids only (the stop token included)
  FinishReason finishReason = FinishReason::kLength;
  std::vector<float> logprobs;  // one per generated id when requested
};

}  // namespace astro::model
