// The Llama-family forward pass as transformers' modeling_llama.py / modeling_qwen3.py define it:
// embedding -> N x (RMSNorm -> GQA attention with RoPE -> residual -> RMSNorm -> SwiGLU ->
// residual) -> RMSNorm -> lm_head. Norms and softmax run in float32 whatever the weight dtype.
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "core/base/error.h"
#include "core/model/detail/decode_attention.h"
#include "core/model/detail/inference_kernels.h"
#include "core/model/detail/llama_module.h"

namespace astro::model::detail {

namespace {

torch::nn::Linear linear(int64_t in, int64_t out, bool bias) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

// [.., d] -> [-x2, x1] with x1, x2 the halves of the last dimension.
torch::Tensor rotateHalf(const torch::Tensor& x) {
  auto halves = x.chunk(2, -1);
  return torch::cat({-halves[1], halves[0]}, -1);
}

torch::Tensor applyRotary(const torch::Tensor& x, const Rotary& rotary) {
  return x * rotary.cos + rotateHalf(x) * rotary.sin;
}

}  // namespace

torch::Tensor ropeInverseFrequencies(const ModelConfig& config) {
  auto exponents = torch::arange(0, config.headDim, 2, torch::kFloat64) / double(config.headDim);
  auto inverse = 1.0 / torch::pow(config.ropeTheta, exponents);  // [headDim / 2]
  const RopeScaling& scaling = config.ropeScaling;
  if (scaling.type == RopeScaling::Type::kLinear) inverse = inverse / scaling.factor;
  if (scaling.type == RopeScaling::Type::kLlama3) {
    // transformers' _compute_llama3_parameters: long wavelengths are slowed by `factor`, short
    // ones kept, and those in between interpolated smoothly.
    double original = double(scaling.originalMaxPositionEmbeddings);
    double lowFreqWavelength = original / scaling.lowFreqFactor;
    double highFreqWavelength = original / scaling.highFreqFactor;
    auto wavelength = 2 * std::numbers::pi / inverse;
    auto scaled = torch::where(wavelength > lowFreqWavelength, inverse / scaling.factor, inverse);
    auto smooth = (original / wavelength - scaling.lowFreqFactor) /
                  (scaling.highFreqFactor - scaling.lowFreqFactor);
    auto smoothed = (1 - smooth) * scaled / scaling.factor + smooth * scaled;
    auto isMedium = (wavelength >= highFreqWavelength) & (wavelength <= lowFreqWavelength);
    inverse = torch::where(isMedium, smoothed, scaled);
  }
  return inverse.to(torch::kFloat32);
}

RmsNormImpl::RmsNormImpl(int64_t size, double eps) : eps_(eps) {
  weight = register_parameter("weight", torch::ones({size}));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor& x) {
  if (inferenceKernelsApply(x)) return rmsNorm(x, weight, eps_);
  auto x32 = x.to(torch::kFloat32);
  auto normalized = x32 * torch::rsqrt(x32.pow(2).mean(-1, true) + eps_);
  return weight * normalized.to(x.scalar_type());
}

AttentionImpl::AttentionImpl(const ModelConfig& config)
    : heads_(config.numAttentionHeads),
      kvHeads_(config.numKeyValueHeads),
      headDim_(config.headDim) {
  int64_t hidden = config.hiddenSize;
  q_proj = register_module("q_proj", linear(hidden, heads_ * headDim_, config.hasQkvBias()));
  k_proj = register_module("k_proj", linear(hidden, kvHeads_ * headDim_, config.hasQkvBias()));
  v_proj = register_module("v_proj", linear(hidden, kvHeads_ * headDim_, config.hasQkvBias()));
  o_proj = register_module("o_proj", linear(heads_ * headDim_, hidden, config.hasOutputBias()));
  if (config.hasQkNorm()) {
    q_norm = register_module("q_norm", RmsNorm(headDim_, config.rmsNormEps));
    k_norm = register_module("k_norm", RmsNorm(headDim_, config.rmsNormEps));
  }
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const Rotary& rotary,
                                     const torch::Tensor& mask, KvCache* cache, int64_t layer) {
  int64_t batch = x.size(0), time = x.size(1), groups = heads_ / kvHeads_;
  torch::Tensor q, k, v;
  if (auto qkv = qkvWeight_.applyFused(x, {&q_proj, &k_proj, &v_proj}); qkv.defined()) {
    // Inference: one product for the three projections, split into views.
    q = qkv.narrow(-1, 0, heads_ * headDim_);
    k = qkv.narrow(-1, heads_ * headDim_, kvHeads_ * headDim_);
    v = qkv.narrow(-1, (heads_ + kvHeads_) * headDim_, kvHeads_ * headDim_);
  } else {
    q = q_proj(x);  // training (autograd) or a device/dtype the fused copy does not serve
    k = k_proj(x);
    v = v_proj(x);
  }
  q = q.view({batch, time, heads_, headDim_});                    // [B, T, H, D]
  k = k.view({batch, time, kvHeads_, headDim_});                  // [B, T, KV, D]
  v = v.view({batch, time, kvHeads_, headDim_}).transpose(1, 2);  // [B, KV, T, D]
  if (q_norm) {
    q = q_norm(q);
    k = k_norm(k);
  }
  const int64_t prefixSlots = cache ? cache->prefixSlots() : 0;
  const int64_t start = cache ? cache->length - prefixSlots : 0;  // own slots follow a prefix
  const bool fused = inferenceKernelsApply(x) && rotary.cos.scalar_type() == torch::kFloat32;
  if (fused) {
    // One loop per rotation; the keys' goes straight into the cache slots.
    auto rotatedQ = torch::empty({batch, heads_, time, headDim_}, q.options());  // [B, H, T, D]
    rotaryInto(q, rotary.cos, rotary.sin, rotatedQ);
    q = rotatedQ;
    auto rotatedK = cache ? cache->keys[layer].narrow(2, start, time)
                          : torch::empty({batch, kvHeads_, time, headDim_}, k.options());
    rotaryInto(k, rotary.cos, rotary.sin, rotatedK);
    k = rotatedK;  // [B, KV, T, D]
  } else {
    q = applyRotary(q.transpose(1, 2), rotary);  // [B, H, T, D]
    k = applyRotary(k.transpose(1, 2), rotary);  // [B, KV, T, D]
  }

  torch::Tensor keys = k, values = v;
  if (cache) {
    if (!fused) cache->keys[layer].narrow(2, start, time).copy_(k);
    cache->values[layer].narrow(2, start, time).copy_(v);
    keys = cache->keys[layer].narrow(2, 0, start + time);      // [B, KV, S, D]
    values = cache->values[layer].narrow(2, 0, start + time);  // [B, KV, S, D]
  }
  if (time == 1 && cache && mask.defined() && mask.size(0) == batch && decodeAttentionApplies(q)) {
    // mask is the cache's key bias, [B, 1, 1, S]; with a shared prefix, its first slots are the
    // prefix's (read from the prefix groups instead).
    auto keyBias = mask.select(1, 0).select(1, 0).narrow(1, prefixSlots, keys.size(2));
    SharedKeys shared;
    if (cache->prefix) {
      shared = {cache->prefix->keys[std::size_t(layer)], cache->prefix->values[std::size_t(layer)],
                cache->prefix->keyBias, &cache->prefixGroup};
    }
    auto context = decodeAttention(q.select(2, 0), keys, values, keyBias,
                                   float(1.0 / std::sqrt(double(headDim_))),
                                   cache->prefix ? &shared : nullptr);  // [B, H, D]
    return oWeight_.apply(o_proj, context.view({batch, 1, heads_ * headDim_}));
  }
  if (prefixSlots > 0) {
    throw Error("a KV cache with a shared prefix serves CPU float32 decode steps only (got " +
                std::to_string(time) + " tokens per row)");
  }
  int64_t keyCount = keys.size(2);
  // Query heads of one group share a key/value head: fold the group into the query rows instead
  // of copying keys and values `groups` times (transformers' repeat_kv).
  auto queries =
      (q * (1.0 / std::sqrt(double(headDim_)))).reshape({batch, kvHeads_, groups * time, headDim_});
  auto scores = torch::matmul(queries, keys.transpose(2, 3))  // [B, KV, G*T, S]
                    .view({batch, heads_, time, keyCount})    // [B, H, T, S]
                    .to(torch::kFloat32);
  if (mask.defined()) scores = scores + mask;
  torch::Tensor probabilities;
  if (inferenceKernelsApply(scores) && scores.is_contiguous()) {
    softmaxInPlace(scores);  // a temporary of this pass: prefill's [B, H, T, S] scores
    probabilities = scores.to(values.scalar_type());
  } else {
    probabilities = torch::softmax(scores, -1).to(values.scalar_type());
  }
  auto context = torch::matmul(probabilities.view({batch, kvHeads_, groups * time, keyCount}),
                               values)  // [B, KV, G*T, D]
                     .view({batch, heads_, time, headDim_})
                     .transpose(1, 2)
                     .reshape({batch, time, heads_ * headDim_});  // [B, T, H*D]
  return oWeight_.apply(o_proj, context);
}

MlpImpl::MlpImpl(const ModelConfig& config) {
  gate_proj = register_module("gate_proj",
                              linear(config.hiddenSize, config.intermediateSize, config.mlpBias));
  up_proj = register_module("up_proj",
                            linear(config.hiddenSize, config.intermediateSize, config.mlpBias));
  down_proj = register_module("down_proj",
                              linear(config.intermediateSize, config.hiddenSize, config.mlpBias));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  if (auto gateUp = gateUpWeight_.applyFused(x, {&gate_proj, &up_proj}); gateUp.defined()) {
    // Inference: one product for both projections.
    int64_t width = gate_proj->weight.size(0);
    if (inferenceKernelsApply(gateUp)) return downWeight_.apply(down_proj, siluGate(gateUp));
    return downWeight_.apply(
        down_proj, torch::silu(gateUp.narrow(-1, 0, width)) * gateUp.narrow(-1, width, width));
  }
  return downWeight_.apply(down_proj, torch::silu(gate_proj(x)) * up_proj(x));
}

DecoderLayerImpl::DecoderLayerImpl(const ModelConfig& config) {
  self_attn = register_module("self_attn", Attention(config));
  mlp = register_module("mlp", Mlp(config));
  input_layernorm =
      register_module("input_layernorm", RmsNorm(config.hiddenSize, config.rmsNormEps));
  post_attention_layernorm =
      register_module("post_attention_layernorm", RmsNorm(config.hiddenSize, config.rmsNormEps));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const Rotary& rotary,
                                        const torch::Tensor& mask, KvCache* cache, int64_t layer) {
  auto hidden = x + self_attn(input_layernorm(x), rotary, mask, cache, layer);
  return hidden + mlp(post_attention_layernorm(hidden));
}

BackboneImpl::BackboneImpl(const ModelConfig& config) {
  embed_tokens =
      register_module("embed_tokens", torch::nn::Embedding(config.vocabSize, config.hiddenSize));
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < config.numHiddenLayers; ++i) layers->push_back(DecoderLayer(config));
  norm = register_module("norm", RmsNorm(config.hiddenSize, config.rmsNormEps));
}

LlamaModelImpl::LlamaModelImpl(const ModelConfig& config)
    : config_(config), inverseFrequencies_(ropeInverseFrequencies(config)) {
  model = register_module("model", Backbone(config));
  for (const auto& layer : *model->layers) layers_.emplace_back(layer->as<DecoderLayerImpl>());
  if (!config.tieWordEmbeddings) {
    lm_head = register_module("lm_head", linear(config.hiddenSize, config.vocabSize, false));
  }
}

torch::Tensor LlamaModelImpl::outputEmbedding() {
  return lm_head ? lm_head->weight : model->embed_tokens->weight;
}

void LlamaModelImpl::initializeWeights(uint64_t seed) {
  torch::NoGradGuard noGrad;
  auto generator = at::detail::createCPUGenerator(seed);
  for (auto& item : named_parameters()) {
    const std::string& name = item.key();
    torch::Tensor& parameter = item.value();
    torch::Tensor value;
    if (name.ends_with("norm.weight")) {
      value = torch::ones(parameter.sizes());
    } else if (name.ends_with(".bias")) {
      value = torch::zeros(parameter.sizes());
    } else {
      value = torch::empty(parameter.sizes()).normal_(0.0, config_.initializerRange, generator);
    }
    parameter.copy_(value);
  }
}

torch::Tensor LlamaModelImpl::forward(const ForwardInput& input, KvCache* cache) {
  const auto& ids = input.inputIds;
  int64_t batch = ids.size(0), time = ids.size(1);
  int64_t start = cache ? cache->length : 0;
  int64_t keyCount = start + time;
  auto device = ids.device();
  if (inverseFrequencies_.device() != device) inverseFrequencies_ = inverseFrequencies_.to(device);

  auto hidden = model->embed_tokens(ids);  // [B, T, hidden]
  auto dtype = hidden.scalar_type();

  auto angles = input.positionIds.to(torch::kFloat32).unsqueeze(-1) * inverseFrequencies_;
  auto doubled = torch::cat({angles, angles}, -1).unsqueeze(1);  // [B, 1, T, D]
  Rotary rotary{doubled.cos().to(dtype), doubled.sin().to(dtype)};

  // Which keys each query may see: causal by slot, valid (not padding), same packed sequence.
  // Masks are additive float32, [B or 1, 1, T, S], undefined when nothing is hidden. The float
  // minimum (not -inf) keeps rows with no visible key (padding queries) free of NaN.
  constexpr float kHidden = std::numeric_limits<float>::lowest();
  auto maskOptions = torch::TensorOptions().device(device).dtype(torch::kFloat32);
  torch::Tensor mask;
  if (cache) {
    auto slotBias = cache->keyBias.narrow(1, start, time);  // [B, T]
    slotBias.fill_(0.0f);
    if (input.tokenValid.defined()) slotBias.masked_fill_(input.tokenValid.logical_not(), kHidden);
    // A decode step (T = 1) sees every filled slot, so its mask is the key bias alone; a
    // prefill adds the causal triangle (minimum + minimum is -inf there, which is harmless:
    // every row keeps at least one finite entry).
    mask = cache->keyBias.narrow(1, 0, keyCount).unsqueeze(1).unsqueeze(1);  // [B, 1, 1, S]
    if (time > 1) {
      mask = mask + torch::full({time, keyCount}, kHidden, maskOptions)
                        .triu(start + 1)
                        .view({1, 1, time, keyCount});
    }
  } else if (time > 1 && !input.tokenValid.defined() && !input.sequenceIds.defined()) {
    // Causal only (plain prefill and training): one [1, 1, T, S] mask broadcast over the batch,
    // two ops instead of the general path's eight, which shows on small models.
    mask = torch::full({time, keyCount}, kHidden, maskOptions)
               .triu(start + 1)
               .view({1, 1, time, keyCount});
  } else if (time > 1 || input.tokenValid.defined() || input.sequenceIds.defined()) {
    auto options = torch::TensorOptions().device(device);
    auto querySlots = torch::arange(start, keyCount, options.dtype(torch::kLong));
    auto keySlots = torch::arange(0, keyCount, options.dtype(torch::kLong));
    auto allowed = (keySlots.unsqueeze(0) <= querySlots.unsqueeze(1))  // [T, S]
                       .unsqueeze(0)
                       .expand({batch, time, keyCount});
    if (input.tokenValid.defined()) allowed = allowed & input.tokenValid.unsqueeze(1);
    if (input.sequenceIds.defined()) {
      allowed = allowed & (input.sequenceIds.unsqueeze(2) == input.sequenceIds.unsqueeze(1));
    }
    mask = torch::zeros({batch, 1, time, keyCount}, maskOptions)
               .masked_fill(allowed.logical_not().unsqueeze(1), kHidden);
  }

  for (int64_t layer = 0; layer < config_.numHiddenLayers; ++layer) {
    hidden = layers_[std::size_t(layer)]->forward(hidden, rotary, mask, cache, layer);
  }
  if (cache) cache->length = keyCount;
  if (input.lastPositionOnly) hidden = hidden.narrow(1, time - 1, 1);
  hidden = model->norm(hidden);
  return outputWeight_.apply(hidden, outputEmbedding()).to(torch::kFloat32);
}

}  // namespace astro::model::detail
