// One HTTP request's choices in flight on the engine: submits a DecodeRequest per choice,
// gathers the tokens the engine thread reports, and lets the connection's thread wait for news.
// Destroying the job (or cancel()) cancels the choices still running, so a client that hangs up
// frees its rows at the next decode step and nobody else's.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/serve/completion_plan.h"
#include "core/model/decode_engine.h"

namespace astro::serve {

struct ChoiceProgress {
  std::vector<int32_t> ids;
  std::vector<float> logprobs;
  bool finished = false;
  model::FinishReason reason = model::FinishReason::kLength;
  std::string error;  // the engine's message when it failed
};

class CompletionJob {
 public:
  // Submits every choice of `plan` together (they join the batch at one step); if the engine
  // refuses one, none is queued and ApiError (400) carries its message.
  CompletionJob(model::DecodeEngine& engine, CompletionPlan plan);
  ~CompletionJob();
  CompletionJob(const CompletionJob&) = delete;
  CompletionJob& operator=(const CompletionJob&) = delete;

  // Waits up to `timeout` for a change after `version` (0 at first); returns the new version
  // (equal to `version` when nothing changed).
  uint64_t waitForChange(uint64_t version, std::chrono::milliseconds timeout) const;
  // Every choice as it stands, and the version it stands at.
  std::vector<ChoiceProgress> snapshot(uint64_t* version = nullptr) const;
  bool finished() const;  // every choice finished or failed
  // Waits up to `timeout` for finished(); returns it. One wake-up, not one per token.
  bool waitUntilFinished(std::chrono::milliseconds timeout) const;
  void cancel();  // idempotent

 private:
  struct State;
  model::DecodeEngine& engine_;
  std::shared_ptr<State> state_;  // shared with the engine's callbacks
  std::vector<uint64_t> requestIds_;
};

}  // namespace astro::serve
