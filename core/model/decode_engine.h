// Continuous batching over one LanguageModel, for `astro serve` (issue #20): requests are
// submitted from any thread and join the running batch at the next decode step (their prompts
// prefilled, their keys and values merged into the batch's KV cache), every live row advances one
// token per step, and finished or cancelled rows leave. Tokens are reported as they are drawn, so
// a server can stream them. The engine's own threads own the model (on the CPU with several torch
// threads, one per sub-batch, each stepping its rows on its own); callbacks run on them, one at a
// time, and must be quick (hand the token to the connection's queue, do not write to a socket).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/model/generation.h"

namespace astro::model {

class LanguageModel;

struct DecodeRequest {
  std::vector<int32_t> prompt;  // non-empty, ids inside the vocabulary
  // Used: maxNewTokens, temperature, topP, topK, stopAtEos, stopIds, stopStrings with decode,
  // returnLogprobs, and rowSeeds, which must hold exactly one seed: this row's generator is
  // seeded with it as LanguageModel::generate seeds a row with that rowSeeds entry, so the same
  // prompt, options and seed draw the same tokens here as there (up to logits that differ in their
  // last bits between batch compositions; docs/mcts.md, Batching and determinism).
  GenerationOptions options;
  // Each drawn token in order (its log-probability when options.returnLogprobs, else 0).
  std::function<void(int32_t id, float logprob)> onToken;
  // Exactly one of these ends every submitted request that was not cancelled: onFinish with the
  // whole generation (ids, finish reason, logprobs), or onError with a message.
  std::function<void(const Generation& generation)> onFinish;
  std::function<void(const std::string& message)> onError;
};

struct DecodeEngineOptions {
  int64_t maxBatchRows = 64;  // live rows decoded together; more wait in the queue
  // Longest prompt + maxNewTokens a request may ask for; 0: the model's max_position_embeddings.
  int64_t maxContextTokens = 0;
  // Keys and values of finished requests kept for later prompts that start with them (least
  // recently used dropped beyond this many bytes; 0: none kept). Logits then equal a fresh
  // prefill up to float rounding, as with GenerationOptions::reusePrefixes.
  int64_t prefixStoreBytes = int64_t(256) << 20;
};

struct DecodeEngineStats {
  int64_t queued = 0;        // submitted, not yet in the batch
  int64_t live = 0;          // rows in the batch now
  int64_t steps = 0;         // decode steps run since start (each sub-batch's counted)
  int64_t tokens = 0;        // tokens drawn since start
  int64_t largestBatch = 0;  // most rows one step of one sub-batch decoded
  int64_t joins = 0;         // prefills merged into a batch that was already decoding
  int64_t promptTokens = 0;        // prompt tokens of admitted requests
  // Prompt tokens copied from the prefix store instead of computed (once per distinct prompt of
  // an admission: identical prompts admitted together are prefilled once).
  int64_t storedPromptTokens = 0;
};

class DecodeEngine {
 public:
  // Borrows `model` (it must outlive the engine) and starts the engine thread.
  explicit DecodeEngine(const LanguageModel& model, DecodeEngineOptions options = {});
  // Stops the thread; requests still queued or live get onError("server shutting down").
  ~DecodeEngine();
  DecodeEngine(const DecodeEngine&) = delete;
  DecodeEngine& operator=(const DecodeEngine&) = delete;

  // Thread-safe. Checks the request (throws UsageError for an empty prompt, an id outside the
  // vocabulary, a context over maxContextTokens, rowSeeds not of size 1) and queues it; returns
  // its id.
  uint64_t submit(DecodeRequest request);
  // Thread-safe. Checks every request first (nothing is queued when one is refused), then queues
  // them together, so they join the batch at the same step: one prefill and one merge for the
  // rows of one HTTP request instead of one each, however the engine thread is scheduled.
  std::vector<uint64_t> submitAll(std::vector<DecodeRequest> requests);
  // Thread-safe. The request leaves the queue or the batch before the next step; none of its
  // callbacks runs after cancel returns. Unknown or finished ids are ignored.
  void cancel(uint64_t id);
  DecodeEngineStats stats() const;
  // What submit checks a request against: the longest prompt + maxNewTokens, the vocabulary size.
  int64_t maxContextTokens() const;
  int32_t vocabSize() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace astro::model
