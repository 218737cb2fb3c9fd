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

#include "core/model/generation.h"
#include "core/model/model_config.h"
#include "core/model/sampler.h"

namespace astro::model {

class LanguageModel final : public Sampler {
 public:
  // device: "cpu" (float32 weights) or "cuda[:N]" (bfloat16 weights, float32 norms and softmax).
  static LanguageModel load(const std::filesystem::path& folder, const std::string& device = "cpu");
  static LanguageModel randomInit(const ModelConfig& config, uint64_t seed,
                                  const std::string& device = "cpu");
  ~LanguageModel() override;
  LanguageModel(LanguageModel&&) noexcept;
  LanguageModel& operator=(LanguageModel&&) noexcept;

  // config.json + model.safetensors, each replaced atomically.
  void save(const std::filesystem::path& folder) const;
  const ModelConfig& config() const;

  // One result per prompt, in order. Prompts of different lengths share batches (left padding);
  // sequences leave the batch as they finish. Throws UsageError for empty prompts or bad ids.
  std::vector<Generation> generate(const std::vector<std::vector<int32_t>>& prompts,
                                   const GenerationOptions& options) const override;

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
