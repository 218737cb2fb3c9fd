// Prefill for batched generation: every distinct prompt of a batch runs through the model once
// (rows with identical prompts, such as the k samples of one MCTS expansion, share its keys and
// values), a prompt that starts with a stored sequence (detail/prefix_store.h) computes only the
// rest, and prompts of similar length run together so little compute goes to padding.
#pragma once

#include <cstdint>
#include <vector>

#include "core/model/detail/llama_module.h"

namespace astro::model::detail {

struct Prefill {
  KvCache cache;         // one row per prompt: every prompt ends at slot `length`
  torch::Tensor logits;  // [prompts, vocab] float32: the next-token logits after each prompt
  int64_t storedTokens = 0;  // prompt tokens copied from the prefix store, not computed
};

class PrefixStore;

struct PrefillOptions {
  int64_t newTokens = 0;     // free cache slots after the prompts (the tokens to generate)
  bool sharePrompts = true;  // identical prompts prefill once (false: every row on its own)
  // Prompts run together while the shortest is at least this share of the longest; a shorter
  // one starts the next forward pass (less padding, one more pass).
  double lengthRatio = 0.75;
  int64_t maxChunkTokens = 16384;  // rows x longest prompt per forward pass (bounds memory)
  // Prompts starting with a stored sequence copy its keys and values instead of computing them.
  PrefixStore* store = nullptr;
  // The prompts' slots become the cache's shared prefix (KvCache::prefix), one group per distinct
  // prompt, instead of being copied to every row that shares them; the rows hold only the
  // `newTokens` slots. For decoding on the CPU in float32 (decode attention reads the prefix).
  bool sharePrefix = false;
};

// Prefills `prompts` (non-empty token ids, checked against the vocabulary) on `module`'s device.
Prefill prefillPrompts(LlamaModel& module, const torch::Device& device,
                       const std::vector<const std::vector<int32_t>*>& prompts,
                       const PrefillOptions& options);

}  // namespace astro::model::detail
