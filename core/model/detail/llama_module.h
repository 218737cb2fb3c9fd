// The Llama-family decoder as a torch::nn::Module (private to core: torch types allowed here).
// Parameter names equal Hugging Face's ("model.layers.0.self_attn.q_proj.weight"), so
// named_parameters() is the checkpoint layout; trainers use parameters() for their optimizer.
#pragma once

#include <torch/torch.h>

#include <filesystem>

#include "core/model/detail/inference_weight.h"
#include "core/model/detail/kv_cache.h"
#include "core/model/model_config.h"

namespace astro::model::detail {

struct ForwardInput {
  static ForwardInput of(torch::Tensor inputIds, torch::Tensor positionIds) {
    ForwardInput input;
    input.inputIds = std::move(inputIds);
    input.positionIds = std::move(positionIds);
    return input;
  }
  torch::Tensor inputIds;     // [batch, time] int64
  torch::Tensor positionIds;  // [batch, time] int64 (rotary positions)
  torch::Tensor tokenValid;   // optional [batch, time] bool: false marks padding, never attended
  // Optional [batch, time] int64, without a cache: packed sequences attend within their id.
  torch::Tensor sequenceIds;
  bool lastPositionOnly = false;  // logits of the last position only ([batch, 1, vocab])
};

class RmsNormImpl : public torch::nn::Module {
 public:
  RmsNormImpl(int64_t size, double eps);
  torch::Tensor forward(const torch::Tensor& x);  // normalizes in float32, returns x's dtype
  torch::Tensor weight;

 private:
  double eps_;
};
TORCH_MODULE(RmsNorm);

// Rotary angles for one forward pass, shared by all layers.
struct Rotary {
  torch::Tensor cos;  // [batch, 1, time, headDim]
  torch::Tensor sin;  // [batch, 1, time, headDim]
};

class AttentionImpl : public torch::nn::Module {
 public:
  explicit AttentionImpl(const ModelConfig& config);
  // x [batch, time, hidden]; mask additive [batch, 1, time, keys] or undefined (no masking).
  torch::Tensor forward(const torch::Tensor& x, const Rotary& rotary, const torch::Tensor& mask,
                        KvCache* cache, int64_t layer);

  torch::nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
  RmsNorm q_norm{nullptr}, k_norm{nullptr};  // Qwen3 only

 private:
  int64_t heads_, kvHeads_, headDim_;
  InferenceWeight oWeight_;
  InferenceWeight qkvWeight_;  // q/k/v in one product (inference on the CPU)
};
TORCH_MODULE(Attention);

class MlpImpl : public torch::nn::Module {
 public:
  explicit MlpImpl(const ModelConfig& config);
  torch::Tensor forward(const torch::Tensor& x);  // down(silu(gate(x)) * up(x))
  torch::nn::Linear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};

 private:
  InferenceWeight downWeight_;
  InferenceWeight gateUpWeight_;  // gate/up in one product (inference on the CPU)
};
TORCH_MODULE(Mlp);

class DecoderLayerImpl : public torch::nn::Module {
 public:
  explicit DecoderLayerImpl(const ModelConfig& config);
  torch::Tensor forward(const torch::Tensor& x, const Rotary& rotary, const torch::Tensor& mask,
                        KvCache* cache, int64_t layer);
  Attention self_attn{nullptr};
  Mlp mlp{nullptr};
  RmsNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
};
TORCH_MODULE(DecoderLayer);

// Hugging Face's `model.*`: embeddings, the layers and the final norm.
class BackboneImpl : public torch::nn::Module {
 public:
  explicit BackboneImpl(const ModelConfig& config);
  torch::nn::Embedding embed_tokens{nullptr};
  torch::nn::ModuleList layers{nullptr};
  RmsNorm norm{nullptr};
};
TORCH_MODULE(Backbone);

class LlamaModelImpl : public torch::nn::Module {
 public:
  explicit LlamaModelImpl(const ModelConfig& config);

  // Logits [batch, time or 1, vocab] in float32. With a cache, the new tokens fill slots
  // [cache->length, cache->length + time) and attend to every valid earlier slot.
  torch::Tensor forward(const ForwardInput& input, KvCache* cache = nullptr);

  // Hugging Face's initialisation: normal(0, initializer_range) for projections and embeddings,
  // zero biases, unit norm weights; reproducible for a seed (drawn on the CPU in float32).
  void initializeWeights(uint64_t seed);

  const ModelConfig& config() const { return config_; }
  torch::Tensor outputEmbedding();  // lm_head.weight, or the embeddings when tied

  Backbone model{nullptr};
  torch::nn::Linear lm_head{nullptr};  // absent when tie_word_embeddings

 private:
  ModelConfig config_;
  std::vector<DecoderLayerImpl*> layers_;  // model->layers, typed
  torch::Tensor inverseFrequencies_;       // [headDim / 2] float32, rope scaling applied
  InferenceWeight outputWeight_;
};
TORCH_MODULE(LlamaModel);

// Rotary inverse frequencies with config.ropeScaling applied (as transformers computes them).
torch::Tensor ropeInverseFrequencies(const ModelConfig& config);

// Loads a Hugging Face checkpoint folder onto `device`, converting weights to `dtype`.
LlamaModel loadLlamaModel(const std::filesystem::path& folder, const torch::Device& device,
                          torch::ScalarType dtype);

// Writes config.json + model.safetensors (weights in their current dtype) atomically.
void saveLlamaModel(LlamaModel& model, const std::filesystem::path& folder);

}  // namespace astro::model::detail
