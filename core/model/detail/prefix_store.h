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
  // Per layer [tokens, kvHeads, headDim]; possibly views into a tensor other sequences share
  // (bytes() counts the views).
  std::vector<torch::Tensor> keys;
  std::vector<torch::Tensor> values;
  uint64_t lastUse = 0;
  int64_t bytes() const;
};

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
