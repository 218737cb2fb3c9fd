// Choices in flight on the engine (completion_job.h).
#include "core/serve/completion_job.h"

#include <condition_variable>
#include <mutex>

#include "core/serve/api_error.h"

namespace astro::serve {

struct CompletionJob::State {
  mutable std::mutex mutex;
  mutable std::condition_variable changed;  // every new token: streams wait on it
  mutable std::condition_variable allDone;  // the last choice ended: whole answers wait on it
  std::vector<ChoiceProgress> choices;
  uint64_t version = 0;
  std::size_t open = 0;  // choices neither finished nor failed
  bool cancelled = false;

  void update(const std::function<void(ChoiceProgress&)>& change, std::size_t index, bool ends) {
    bool last = false;
    {
      std::lock_guard lock(mutex);
      ChoiceProgress& choice = choices[index];
      if (choice.finished) return;
      change(choice);
      if (ends) {
        choice.finished = true;
        last = --open == 0;
      }
      ++version;
    }
    changed.notify_all();
    if (last) allDone.notify_all();
  }
};

CompletionJob::CompletionJob(model::DecodeEngine& engine, CompletionPlan plan)
    : engine_(engine), state_(std::make_shared<State>()) {
  state_->choices.resize(plan.choices.size());
  state_->open = plan.choices.size();
  std::vector<model::DecodeRequest> requests;
  requests.reserve(plan.choices.size());
  for (std::size_t index = 0; index < plan.choices.size(); ++index) {
    ChoicePlan& choice = plan.choices[index];
    model::DecodeRequest request;
    request.prompt = std::move(choice.prompt);
    request.options = std::move(choice.options);
    request.onToken = [state = state_, index](int32_t id, float logprob) {
      state->update(
          [&](ChoiceProgress& c) {
            c.ids.push_back(id);
            c.logprobs.push_back(logprob);
          },
          index, false);
    };
    request.onFinish = [state = state_, index](const model::Generation& generation) {
      state->update(
          [&](ChoiceProgress& c) {
            c.ids = generation.ids;  // the engine's whole record wins over what was streamed
            if (!generation.logprobs.empty()) c.logprobs = generation.logprobs;
            c.reason = generation.finishReason;
          },
          index, true);
    };
    request.onError = [state = state_, index](const std::string& message) {
      state->update(
          [&](ChoiceProgress& c) { c.error = message.empty() ? "engine failed" : message; }, index,
          true);
    };
    requests.push_back(std::move(request));
  }
  // All choices join the batch at one step; the engine queues none of them when it refuses one.
  try {
    requestIds_ = engine_.submitAll(std::move(requests));
  } catch (const UsageError& error) {
    throw ApiError(400, error.what());
  }
}

CompletionJob::~CompletionJob() { cancel(); }

uint64_t CompletionJob::waitForChange(uint64_t version, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait_for(lock, timeout, [&] { return state_->version != version; });
  return state_->version;
}

std::vector<ChoiceProgress> CompletionJob::snapshot(uint64_t* version) const {
  std::lock_guard lock(state_->mutex);
  if (version) *version = state_->version;
  return state_->choices;
}

bool CompletionJob::finished() const {
  std::lock_guard lock(state_->mutex);
  return state_->open == 0;
}

bool CompletionJob::waitUntilFinished(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->allDone.wait_for(lock, timeout, [&] { return state_->open == 0; });
}

void CompletionJob::cancel() {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->cancelled || state_->open == 0) return;
    state_->cancelled = true;
  }
  for (uint64_t id : requestIds_) engine_.cancel(id);
}

}  // namespace astro::serve
