// The architecture of a decoder-only language model as Hugging Face's config.json describes it
// (LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM), parsed and written without libtorch.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace astro::model {

enum class Architecture { kLlama, kQwen2, kQwen3 };

// How rotary position frequencies are rescaled for long contexts (config.json "rope_scaling").
struct RopeScaling {
  enum class Type { kNone, kLinear, kLlama3 };
  Type type = Type::kNone;
  double factor = 1.0;
  double lowFreqFactor = 1.0;                    // llama3 only
  double highFreqFactor = 4.0;                   // llama3 only
  int64_t originalMaxPositionEmbeddings = 8192;  // llama3 only
};

struct ModelConfig {
  Architecture architecture = Architecture::kLlama;
  int64_t vocabSize = 32000;
  int64_t hiddenSize = 4096;
  int64_t intermediateSize = 11008;
  int64_t numHiddenLayers = 32;
  int64_t numAttentionHeads = 32;
  int64_t numKeyValueHeads = 32;
  int64_t headDim = 128;  // config "head_dim", else hidden_size / num_attention_heads
  int64_t maxPositionEmbeddings = 2048;
  double rmsNormEps = 1e-6;
  double ropeTheta = 10000.0;
  RopeScaling ropeScaling;
  bool tieWordEmbeddings = false;
  bool attentionBias = false;  // bias on q/k/v/o (Llama, Qwen3) or on q/k/v (always for Qwen2)
  bool mlpBias = false;
  double initializerRange = 0.02;
  std::string torchDtype = "float32";
  int64_t bosTokenId = -1;           // -1: none
  std::vector<int64_t> eosTokenIds;  // "eos_token_id" (a number or a list)

  std::string architectureName() const;  // "LlamaForCausalLM", ...
  bool hasQkNorm() const { return architecture == Architecture::kQwen3; }
  bool hasQkvBias() const { return attentionBias || architecture == Architecture::kQwen2; }
  bool hasOutputBias() const { return attentionBias && architecture != Architecture::kQwen2; }
  int64_t parameterCount() const;
};

// Parses config.json text; `source` names the file in error messages ("<source>: key 'x': ...").
// Refuses unknown architectures, rope types, activations and inconsistent head counts.
ModelConfig parseModelConfig(const std::string& json, const std::string& source);
ModelConfig readModelConfig(const std::filesystem::path& configJson);

// config.json text that transformers and vLLM load.
std::string modelConfigToJson(const ModelConfig& config);

}  // namespace astro::model
