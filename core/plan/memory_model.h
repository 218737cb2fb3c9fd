// The bytes one data-parallel rank holds while the built-in engine trains or samples a
// Llama-family model, from config.json alone: weights, gradients, optimizer state, the activations
// autograd keeps for backward, the KV cache of batched generation and generation's transients.
// The formulas follow the engine (core/model/llama.cpp, core/model/prefill.cpp) term by term and
// are written out in memory_model.cpp; docs/memory-plan.md states them and their accuracy.
#pragma once

#include <cstdint>

#include "core/model/model_config.h"

namespace astro::plan {

// The engine's precision and distribution policy (core/train):
//  CPU:  float32 weights, float32 gradients, AdamW moments in float32 (2 x 4 B); the weights are
//        the master copy: 16 B per parameter.
//  CUDA: bf16 weights and bf16 gradients for compute (each one flat buffer), an fp32 master copy
//        and fp32 Adam moments (12 B): 16 B per parameter. ZeRO stage 1 splits the 12 B of
//        master + moments over the data-parallel ranks; weights and gradients are replicated on
//        every rank. The optimizer step's transients (stepBuffer) come after the backward pass
//        has freed the activations.
// Data parallelism only: no tensor or pipeline parallelism, no activation checkpointing, no LoRA,
// no 8-bit optimizer state.
struct EnginePolicy {
  bool cuda = false;
  int ranks = 1;      // data-parallel processes (GPUs)
  int zeroStage = 1;  // CUDA: 1 shards master weights and moments over the ranks; 0 replicates
  std::int64_t computeBytes() const { return cuda ? 2 : 4; }  // bf16 or float32 per element
};

// One micro-batch of training: `rows` rows of `tokens` tokens.
struct TrainingShape {
  std::int64_t rows = 1;
  std::int64_t tokens = 1;
};

// One batch of generation: `rows` sequences decoded together, each with a prompt of
// `promptTokens` (prefilled) and room for `newTokens` more in the cache.
struct GenerationShape {
  std::int64_t rows = 0;
  std::int64_t promptTokens = 0;
  std::int64_t newTokens = 0;
  std::int64_t storedPrefixBytes = 0;  // the search's prefix store (kept generations), if any
  std::int64_t tokens() const { return promptTokens + newTokens; }
};

// Bytes per rank. `optimizerState` includes the fp32 master copy on CUDA; `stepBuffer` is held
// during the optimizer step only (not at the same time as `activations`).
struct MemoryEstimate {
  std::int64_t parameters = 0;
  std::int64_t weights = 0;  // compute copy, + a KL reference model, + CPU decode's transposed copy
  std::int64_t gradients = 0;
  std::int64_t stepBuffer = 0;
  std::int64_t optimizerState = 0;
  std::int64_t activations = 0;  // what one training micro-batch keeps for backward
  std::int64_t kvCache = 0;      // keys and values of one generation batch (+ stored prefixes)
  std::int64_t workspace = 0;    // generation transients (one prefill layer, logits)
  // GRPO: rollouts, then training. The cache and its workspace are freed before the training
  // micro-batches run, so the peak counts the larger of the two phases, not their sum.
  bool phased = false;

  std::int64_t persistent() const { return weights + gradients + optimizerState; }
  std::int64_t total() const;
};

// Parameters in Linear weights (q, k, v, o, gate, up, down of every layer, and the output head):
// the part the CPU decode path keeps a second, transposed copy of (core/model/inference_weight.h).
std::int64_t linearParameterCount(const model::ModelConfig& config);

// Keys and values: 2 x layers x kv_heads x head_dim x element bytes x rows x tokens.
std::int64_t kvCacheBytes(const model::ModelConfig& config, const EnginePolicy& policy,
                          std::int64_t rows, std::int64_t tokens);

// Tensors autograd keeps for one micro-batch's backward, plus the logits' peak (memory_model.cpp
// lists each term).
std::int64_t activationBytes(const model::ModelConfig& config, const EnginePolicy& policy,
                             const TrainingShape& shape);

// Generation's transients beside the cache: the larger of one prefill layer (attention scores of
// a prefill chunk, the MLP's intermediates) and the copy of one layer's cache made when finished
// rows leave the batch, plus the next-token logits.
std::int64_t generationWorkspaceBytes(const model::ModelConfig& config, const EnginePolicy& policy,
                                      const GenerationShape& shape);

// Training a model (SFT, base pretraining).
MemoryEstimate trainingMemory(const model::ModelConfig& config, const EnginePolicy& policy,
                              const TrainingShape& shape);
// Sampling from a model (search, evaluation): weights, cache and workspace; no gradients.
MemoryEstimate generationMemory(const model::ModelConfig& config, const EnginePolicy& policy,
                                const GenerationShape& shape);
// GRPO: the policy's training memory, a frozen reference model's weights when `reference` (kl > 0),
// and the rollouts' cache and workspace, in two phases (MemoryEstimate::phased).
MemoryEstimate grpoMemory(const model::ModelConfig& config, const EnginePolicy& policy,
                          const TrainingShape& training, const GenerationShape& rollouts,
                          bool reference);

}  // namespace astro::plan
