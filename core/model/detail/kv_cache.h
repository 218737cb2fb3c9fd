// The keys and values a KV-cached forward pass reads and fills (private to core: torch types
// allowed here). Rows may share their prompt's slots (SharedPrefix): the k samples of one MCTS
// expansion then hold the prompt's keys and values once, and decode attention reads them once per
// group of rows instead of once per row.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "core/model/model_config.h"

namespace astro::model::detail {

// Slots [0, slots()) of several cache rows: one group per distinct prompt.
struct SharedPrefix {
  std::vector<torch::Tensor> keys;    // per layer [groups, kvHeads, slots, headDim]
  std::vector<torch::Tensor> values;  // per layer [groups, kvHeads, slots, headDim]
  torch::Tensor keyBias;              // [groups, slots] float32, as KvCache::keyBias
  int64_t slots() const { return keyBias.size(1); }
  int64_t groups() const { return keyBias.size(0); }
};

// Keys and values of every layer for incremental decoding, preallocated to `capacity` slots so a
// decode step writes one slot instead of concatenating the whole history.
struct KvCache {
  // Per layer [batch, kvHeads, capacity - prefixSlots(), headDim]: slot s of a row lives at index
  // s - prefixSlots() (without a shared prefix, at s).
  std::vector<torch::Tensor> keys;
  std::vector<torch::Tensor> values;
  // Added to attention scores: 0 for a filled token, the float minimum for padding and empty
  // slots, so a decode step's mask is a view of it instead of a tensor built per step. With a
  // shared prefix, slots before prefixSlots() hold the minimum here (the prefix has its own bias).
  torch::Tensor keyBias;  // [batch, capacity] float32
  int64_t length = 0;     // slots filled so far (same for every row)
  // Optional: slots [0, prefix->slots()) of row r are group prefixGroup[r] of the prefix. Such a
  // cache comes from prefillPrompts (PrefillOptions::sharePrefix) and serves decode steps (one
  // token per row, CPU float32); view() does not apply to it.
  std::shared_ptr<const SharedPrefix> prefix;
  std::vector<int64_t> prefixGroup;

  static KvCache allocate(const ModelConfig& config, int64_t batch, int64_t capacity,
                          const torch::TensorOptions& options);
  int64_t capacity() const { return keyBias.size(1); }
  int64_t batch() const { return keyBias.size(0); }
  int64_t prefixSlots() const { return prefix ? prefix->slots() : 0; }
  // Keeps only `rows` (int64 indices, repeats allowed) of the batch: finished sequences leave the
  // cache, and one prefilled prompt is copied to the rows that share it. Rows keep their shared
  // prefix group (only their own slots are copied).
  void keepRows(const torch::Tensor& rows);
  // Rows [firstRow, firstRow + rows) with slots from `firstSlot` on, as an empty cache whose
  // tensors are views of this one: a forward pass on it fills this cache's slots in place (used
  // to prefill prompts of similar length together, right-aligned at this cache's length).
  KvCache view(int64_t firstRow, int64_t rows, int64_t firstSlot) const;
};

}  // namespace astro::model::detail
