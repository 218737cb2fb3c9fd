// The memory formulas of the plan, term by term against the engine's code (core/model/llama.cpp:
// the forward pass; core/model/prefill.cpp and generate.cpp: batched generation). Accuracy: the
// activation terms count the tensors autograd saves and the largest transients; the CPU
// measurement in docs/memory-plan.md agrees within 30%. Allocator slack is not modelled: the
// budget keeps a reserve for it (stage_plan.h).
#include "core/plan/memory_model.h"

#include <algorithm>

namespace astro::plan {

namespace {

// Rows times prompt tokens per prefill forward pass (core/model/detail/prefill.h maxChunkTokens).
constexpr std::int64_t kPrefillChunkTokens = 16384;
// A finished sequence leaves the batch when a quarter of the rows finished: the cache is copied
// to the rows still live (3/4 of it), one layer's keys or values at a time, each old tensor freed
// as its copy replaces it (KvCache::keepRows in core/model/llama.cpp).
constexpr double kCacheCopyShare = 0.75;

// Attention scores per element of [rows, heads, queries, keys]: the float32 softmax output
// autograd saves, plus its cast back to bf16 for the product with V on CUDA (on CPU the cast is a
// no-op and shares the tensor).
std::int64_t savedScoreBytes(const EnginePolicy& policy) {
  return policy.cuda ? 4 + policy.computeBytes() : 4;
}

// The same without autograd, at its peak inside one layer: masked float32 scores and their
// softmax side by side, plus the bf16 cast on CUDA.
std::int64_t transientScoreBytes(const EnginePolicy& policy) {
  return policy.cuda ? 8 + policy.computeBytes() : 8;
}

}  // namespace

std::int64_t MemoryEstimate::total() const {
  std::int64_t generation = kvCache + workspace;
  std::int64_t work = phased ? std::max(activations, generation) : activations + generation;
  // The optimizer step runs after the backward pass has freed the activations.
  return persistent() + std::max(work, stepBuffer);
}

std::int64_t linearParameterCount(const model::ModelConfig& c) {
  std::int64_t attention = c.hiddenSize * c.headDim * (2 * c.numAttentionHeads + 2 * c.numKeyValueHeads);
  std::int64_t mlp = 3 * c.hiddenSize * c.intermediateSize;
  // The output head is a Linear, or the embedding read as one when tied; either way transposed.
  return c.numHiddenLayers * (attention + mlp) + c.vocabSize * c.hiddenSize;
}

std::int64_t kvCacheBytes(const model::ModelConfig& c, const EnginePolicy& policy,
                          std::int64_t rows, std::int64_t tokens) {
  return 2 * c.numHiddenLayers * c.numKeyValueHeads * c.headDim * policy.computeBytes() * rows *
         tokens;
}

std::int64_t activationBytes(const model::ModelConfig& c, const EnginePolicy& policy,
                             const TrainingShape& shape) {
  const std::int64_t a = policy.computeBytes();
  const std::int64_t tokens = shape.rows * shape.tokens;             // B*T
  const std::int64_t hidden = tokens * c.hiddenSize;                 // B*T*H elements
  const std::int64_t query = tokens * c.numAttentionHeads * c.headDim;  // B*T*heads*D
  const std::int64_t keyValue = tokens * c.numKeyValueHeads * c.headDim;
  const std::int64_t intermediate = tokens * c.intermediateSize;     // B*T*I
  const std::int64_t scores = shape.rows * c.numAttentionHeads * shape.tokens * shape.tokens;
  const std::int64_t logits = tokens * c.vocabSize;                  // B*T*V

  // One decoder layer, saved for backward (no activation checkpointing in the engine):
  std::int64_t layer = 0;
  // Two RMSNorms: the float32 input (4), the normalized value cast back (a) that the weight
  // multiplies, and the norm's output (a) that the projections after it keep as their input.
  layer += 2 * (4 + 2 * a) * hidden;
  // q: RoPE keeps q and rotate_half(q) (2a), the scaled, reshaped queries feed QK^T (a); the
  // attention context feeds o_proj (a).
  layer += 4 * a * query;
  // k: RoPE keeps k and rotate_half(k), QK^T keeps the rotated k; v feeds PV (4a in all).
  layer += 4 * a * keyValue;
  // The full T x T attention scores (llama.cpp materialises them; no fused attention).
  layer += savedScoreBytes(policy) * scores;
  // SwiGLU: gate, silu(gate), up and their product (which down_proj keeps), B*T*I each.
  layer += 4 * a * intermediate;

  std::int64_t saved = c.numHiddenLayers * layer;
  saved += (4 + 2 * a) * hidden;  // the final norm, its output kept by the output head
  // The attention mask of packed rows / padded rows: float32 [B, 1, T, T] and its bool source.
  saved += 5 * shape.rows * shape.tokens * shape.tokens;

  // The peak comes on top of what is saved: either the loss (float32 logits, their log-softmax kept
  // for backward, and its gradient: 3 x 4 bytes per logit) or one layer's backward through the
  // softmax (float32 gradients of the probabilities and of the scores).
  std::int64_t peak = std::max(12 * logits, 8 * scores);
  return saved + peak;
}

std::int64_t generationWorkspaceBytes(const model::ModelConfig& c, const EnginePolicy& policy,
                                      const GenerationShape& shape) {
  if (shape.rows <= 0) return 0;
  const std::int64_t a = policy.computeBytes();
  const std::int64_t prompt = std::max<std::int64_t>(1, shape.promptTokens);
  const std::int64_t chunkRows = std::clamp(kPrefillChunkTokens / prompt, std::int64_t(1), shape.rows);
  // One prefill layer: the chunk's scores against its prompt, and the MLP's fused gate/up output,
  // silu and product (4 x I per token).
  std::int64_t prefill = transientScoreBytes(policy) * chunkRows * c.numAttentionHeads * prompt * prompt +
                         4 * a * chunkRows * prompt * c.intermediateSize;
  std::int64_t cacheCopy = std::int64_t(
      kCacheCopyShare * double(kvCacheBytes(c, policy, shape.rows, shape.tokens())) /
      double(2 * c.numHiddenLayers));
  // Next-token logits in float32 on the device and the copy sampled on the CPU side.
  std::int64_t logits = 2 * 4 * shape.rows * c.vocabSize;
  return std::max(prefill, cacheCopy) + logits;
}

MemoryEstimate trainingMemory(const model::ModelConfig& c, const EnginePolicy& policy,
                              const TrainingShape& shape) {
  MemoryEstimate memory;
  const std::int64_t p = c.parameterCount();
  memory.parameters = p;
  if (policy.cuda) {
    memory.weights = 2 * p;    // bf16 compute copy (one flat buffer)
    memory.gradients = 2 * p;  // bf16, one flat buffer that NCCL reduces in place
    std::int64_t shards = policy.zeroStage >= 1 ? std::max(1, policy.ranks) : 1;
    memory.optimizerState = (12 * p + shards - 1) / shards;  // fp32 master + two Adam moments
    // The step's transients (core/train/detail/sharded_adamw.cpp): the fp32 copy of a chunk of
    // 2^26 gradients and its denominator, and, sharded, this rank's slice rounded to bf16 for the
    // all-gather.
    memory.stepBuffer = 2 * 4 * (std::int64_t(1) << 26) + (shards > 1 ? (2 * p + shards - 1) / shards : 0);
  } else {
    memory.weights = 4 * p;  // float32, also the master copy
    memory.gradients = 4 * p;
    memory.optimizerState = 8 * p;  // AdamW moments
  }
  memory.activations = activationBytes(c, policy, shape);
  return memory;
}

MemoryEstimate generationMemory(const model::ModelConfig& c, const EnginePolicy& policy,
                                const GenerationShape& shape) {
  MemoryEstimate memory;
  const std::int64_t p = c.parameterCount();
  memory.parameters = p;
  memory.weights = policy.computeBytes() * p;
  // The CPU decode path keeps every Linear weight a second time, transposed (inference_weight.h).
  if (!policy.cuda) memory.weights += 4 * linearParameterCount(c);
  memory.kvCache = kvCacheBytes(c, policy, shape.rows, shape.tokens()) + shape.storedPrefixBytes;
  memory.workspace = generationWorkspaceBytes(c, policy, shape);
  return memory;
}

MemoryEstimate grpoMemory(const model::ModelConfig& c, const EnginePolicy& policy,
                          const TrainingShape& training, const GenerationShape& rollouts,
                          bool reference) {
  MemoryEstimate memory = trainingMemory(c, policy, training);
  const std::int64_t p = memory.parameters;
  if (reference) memory.weights += policy.computeBytes() * p;  // frozen, no gradients
  if (!policy.cuda) memory.weights += 4 * linearParameterCount(c);  // rollouts decode on the CPU
  memory.kvCache = kvCacheBytes(c, policy, rollouts.rows, rollouts.tokens());
  memory.workspace = generationWorkspaceBytes(c, policy, rollouts);
  memory.phased = true;
  return memory;
}

}  // namespace astro::plan
