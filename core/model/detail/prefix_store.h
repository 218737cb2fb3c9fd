// Keys and values of recent generations, kept so a later prompt that starts with the same tokens
// prefills only the rest (MCTS extends a node's prompt by one step per expansion; GRPO repeats a
// prompt per rollout). Least recently used sequences leave first, within a byte budget.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace astro::model::detail {

struct StoredSequence {
  std::vector<int32_t> tokens;
  // Per layer [tokens after the head, kvHeads, headDim]; possibly views into a tensor other
  // sequences share, such as the generation's cache (bytes() counts the views, so the memory held
  // can exceed it by what the viewed tensors hold besides).
  std::vector<torch::Tensor> keys;
  std::vector<torch::Tensor> values;
  uint64_t lastUse = 0;
  // Optional: the first headLength tokens' keys and values are those of `head` (the prompt that
  // the k samples of one expansion share, held once for all of them).
  std::shared_ptr<const StoredSequence> head;
  int64_t headLength = 0;

  int64_t bytes() const;  // the head's included
  // Copies the keys and values of tokens [0, length) of `layer` into keysOut and valuesOut,
  // [length, kvHeads, headDim] (any strides).
  void copyTo(std::size_t layer, int64_t length, const torch::Tensor& keysOut,
              const torch::Tensor& valuesOut) const;
};

// Where copyTo's float32 CPU fast path writes: token t, head h at data + t * tokenStride +
// h * headStride, headDim floats apart by one.
struct TokenSlots {
  float* data;
  int64_t tokenStride, headStride;
};

// copyTo for float32 CPU tensors with unit stride in headDim (a cache's slots): plain copies of
// headDim floats. Prefill copies a stored prefix per row, layer and link of the chain; as tensor
// ops (views and copy_, a few microseconds each) that was 9% of bench_mcts' batched prefill
// (perf: 20.5 samples per run, 14-15 as plain copies, most of them now the bytes themselves).
// Returns false (copying nothing) where the stored tensors do not fit that path.
bool copyTokens(const StoredSequence& sequence, std::size_t layer, int64_t length,
                TokenSlots keysOut, TokenSlots valuesOut);

// A stored sequence's first `length` tokens equal the prompt's first `length`.
struct PrefixMatch {
  std::shared_ptr<const StoredSequence> sequence;  // null when nothing matched
  int64_t length = 0;
};

class PrefixStore {
 public:
  // The stored sequence sharing the longest prefix with `tokens`, at most `limit` tokens long.
  PrefixMatch longestMatch(std::span<const int32_t> tokens, int64_t limit);

  // Keeps `sequence` (replacing stored sequences that are prefixes of it; ignored when a stored
  // one already starts with all of it), then drops the least recently used beyond `budgetBytes`.
  void insert(StoredSequence sequence, int64_t budgetBytes);

  int64_t bytes() const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<StoredSequence>> sequences_;
  int64_t bytes_ = 0;
  uint64_t clock_ = 0;
};

}  // namespace astro::model::detail
