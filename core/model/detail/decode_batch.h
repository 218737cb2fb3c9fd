// The running batch of the continuous-batching DecodeEngine (decode_engine.h): one row per request,
// one KV cache for all rows, and each row's next-token logits. Requests join by prefill and a
// cache merge (detail/kv_cache_merge.h), draw one token per step from their own generator, and
// leave when done, their keys and values kept in the batch's prefix store so that a later request
// extending a finished one (an MCTS child's prompt is its parent's plus one step) prefills only the
// rest. Used by the engine thread only; callbacks and locking are the engine's.
#pragma once

#include <ATen/core/Generator.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/decode_engine.h"
#include "core/model/detail/llama_module.h"
#include "core/model/detail/prefix_store.h"
#include "core/model/detail/stored_rows.h"

namespace astro::model::detail {

// A request in the batch, at the same index as its cache row.
struct BatchRow {
  uint64_t id = 0;
  DecodeRequest request;
  std::vector<int32_t> stopIds;          // options.stopIds, and the config's eos ids when stopAtEos
  std::size_t longestStop = 1;           // longest stop string (at least 1), for stop_rules.h
  int64_t limit = 0;                     // max new tokens (rowMaxNewTokens[0] where lower)
  std::vector<at::Generator> generator;  // this row's, seeded by rowSeeds[0]; empty when greedy
  Generation generation;
  int64_t token = 0;     // the newest token, fed at the next decode step
  int64_t position = 0;  // its rotary position
  bool done = false;     // finished, failed or cancelled: computed and ignored until dropped
};

// What one step drew for a live row.
struct RowDraw {
  std::size_t row = 0;
  int32_t token = 0;
  float logprob = 0;  // 0 unless the row asked for logprobs
  std::optional<FinishReason> finish;
  std::string error;  // set when the stop rules threw (e.g. the request's decode function)
};

class DecodeBatch {
 public:
  // prefixStoreBytes: the store's budget (0: no store, every prompt prefilled in full). The
  // store may be shared with other batches (it locks itself).
  DecodeBatch(LlamaModel module, torch::Device device, int64_t prefixStoreBytes,
              std::shared_ptr<PrefixStore> store);

  // A row for `request` (checked by DecodeEngine::submit) before it joins.
  BatchRow makeRow(uint64_t id, DecodeRequest request) const;
  // Prefills the rows' prompts and merges their keys and values into the batch (taking the rows).
  // Throws when the prefill or the merge fails; the batch and `joining` are then unchanged.
  // Returns how many prompt tokens came from the prefix store.
  int64_t admit(std::vector<BatchRow>&& joining);
  // Draws the next token of every live row, appends it to the row's generation and applies the
  // stop rules (the caller marks finished rows done), and stores finished rows. Throws when
  // sampling fails.
  std::vector<RowDraw> draw();
  // Drops done rows (when a quarter of the rows are done, or all), then feeds every remaining
  // row's newest token through the model. Throws when the forward pass fails.
  void decode();
  // Empties the batch (after a failed step, whose cache may be half written).
  void clear();

  std::vector<BatchRow>& rows() { return rows_; }
  int64_t liveRows() const;

 private:
  void keepLiveRows();

  LlamaModel module_;
  torch::Device device_;
  std::vector<BatchRow> rows_;
  KvCache cache_;
  torch::Tensor logits_;  // [rows, vocab] float32: each row's next-token logits
  const int64_t prefixStoreBytes_;
  std::shared_ptr<PrefixStore> store_;
  PrefixHeads prefixHeads_;  // the stored prompts of cache_.prefix's groups (stored_rows.h)
};

}  // namespace astro::model::detail
