// The model engine's public face, free of libtorch types: load or randomly initialise a
// Llama-family model, save it in Hugging Face layout, generate from batches of prompts with a KV
// cache, and score token sequences. Trainers reach the torch module via
// detail/language_model_impl.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/model/model_config.h"

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

// The seed of the prompt at `index` when GenerationOptions::rowSeeds is empty; also a way to
// derive distinct seeds for the k copies of one prompt (rowSeed(stateSeed, copy)).
uint64_t rowSeed(uint64_t seed, uint64_t index);

enum class FinishReason { kStopToken, kStopString, kLength };
std::string finishReasonName(FinishReason reason);  // "stop_token", "stop_string", "length"

struct Generation {
  std::vector<int32_t> ids;  // generated ids only (the stop token included)
  FinishReason finishReason = FinishReason::kLength;
  std::vector<float> logprobs;  // one per generated id when requested
};

class LanguageModel {
 public:
  // device: "cpu" (float32 weights) or "cuda[:N]" (bfloat16 weights, float32 norms and softmax).
  static LanguageModel load(const std::filesystem::path& folder, const std::string& device = "cpu");
  static LanguageModel randomInit(const ModelConfig& config, uint64_t seed,
                                  const std::string& device = "cpu");
  ~LanguageModel();
  LanguageModel(LanguageModel&&) noexcept;
  LanguageModel& operator=(LanguageModel&&) noexcept;

  // config.json + model.safetensors, each replaced atomically.
  void save(const std::filesystem::path& folder) const;
  const ModelConfig& config() const;

  // One result per prompt, in order. Prompts of different lengths share batches (left padding);
  // sequences leave the batch as they finish. Throws UsageError for empty prompts or bad ids.
  std::vector<Generation> generate(const std::vector<std::vector<int32_t>>& prompts,
                                   const GenerationOptions& options) const;

  // log p(ids[t] | ids[<t]) for t = 1 .. n-1 (teacher forcing, one forward pass).
  std::vector<float> score(std::span<const int32_t> ids) const;

  // Logits of every position, row-major [ids.size(), vocab], float32 (full recompute, no cache).
  std::vector<float> logits(std::span<const int32_t> ids) const;

  struct Impl;
  Impl& impl() const { return *impl_; }
  // For trainers inside core (detail/language_model_impl.h): a LanguageModel over a module they
  // already hold, e.g. to generate rollouts from the weights being trained.
  static LanguageModel adopt(std::unique_ptr<Impl> impl);

 private:
  explicit LanguageModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace astro::model
