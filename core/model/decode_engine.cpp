// Continuous batching (decode_engine.h): submit and cancel queue work under a mutex; one engine
// thread admits queued requests into the running batch (detail/decode_batch.h), draws a token for
// every live row, reports it, and runs the next decode step, sleeping on a condition variable when
// there is nothing to do.
//
// On the CPU with several torch threads the batch is several sub-batches, one per thread, that
// prefill, draw and decode side by side, each single-threaded (detail/parallel_parts.h), as
// LanguageModel::generate splits a large batch: a step of a few dozen rows is a chain of small
// products that one thread runs well and two share badly. Requests with the same prompt join the
// same sub-batch, the one with the fewest rows; all share one prefix store. Tokens are reported in
// one pass over all sub-batches on the engine thread.
//
// Callbacks run on the engine thread with `callbackMutex` held, and cancel() takes that mutex
// before it marks the id cancelled: once cancel returns, no callback of that id is running, and
// every later one is skipped because the engine checks the cancelled ids before each callback.
#include "core/model/decode_engine.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <span>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "core/base/error.h"
#include "core/model/detail/decode_batch.h"
#include "core/model/detail/language_model_impl.h"
#include "core/model/detail/parallel_parts.h"
#include "core/model/detail/prompt_groups.h"

namespace astro::model {

namespace {

constexpr const char* kShuttingDown = "server shutting down";

// The checks LanguageModel::generate makes of one prompt and its options, and the engine's own.
void checkRequest(const DecodeRequest& request, const ModelConfig& config, int64_t maxContext) {
  const GenerationOptions& options = request.options;
  if (request.prompt.empty()) throw UsageError("the prompt has no tokens");
  for (std::size_t i = 0; i < request.prompt.size(); ++i) {
    int32_t id = request.prompt[i];
    if (id < 0 || id >= config.vocabSize) {
      throw UsageError("prompt token " + std::to_string(i) + " is " + std::to_string(id) +
                       ", outside the vocabulary of " + std::to_string(config.vocabSize));
    }
  }
  checkSamplingOptions(options);
  if (!options.stopStrings.empty() && !options.decode) {
    throw UsageError("stop strings need a decode function (a tokenizer)");
  }
  if (options.rowSeeds.size() != 1) {
    throw UsageError("a decode request needs exactly one row seed, not " +
                     std::to_string(options.rowSeeds.size()));
  }
  int64_t limit = options.maxNewTokens;
  if (!options.rowMaxNewTokens.empty()) {
    if (options.rowMaxNewTokens.size() != 1 || options.rowMaxNewTokens[0] < 1) {
      throw UsageError("rowMaxNewTokens of a decode request must be empty or one limit >= 1");
    }
    limit = std::min(limit, options.rowMaxNewTokens[0]);
  }
  auto context = int64_t(request.prompt.size()) + limit;
  if (context > maxContext) {
    throw UsageError("prompt of " + std::to_string(request.prompt.size()) + " tokens + " +
                     std::to_string(limit) + " new tokens exceeds the context of " +
                     std::to_string(maxContext) + " tokens");
  }
}

DecodeEngineOptions checked(DecodeEngineOptions options) {
  if (options.maxBatchRows < 1) throw UsageError("maxBatchRows must be at least 1");
  if (options.maxContextTokens < 0) throw UsageError("maxContextTokens must not be negative");
  if (options.prefixStoreBytes < 0) throw UsageError("prefixStoreBytes must not be negative");
  return options;
}

// Runs a callback; one that throws costs its request, not the engine.
template <typename Callback, typename... Args>
std::string runCallback(const Callback& callback, Args&&... args) {
  if (!callback) return {};
  try {
    callback(std::forward<Args>(args)...);
  } catch (const std::exception& error) {
    return std::string("callback failed: ") + error.what();
  }
  return {};
}

// Runs work(0) ... work(count - 1) side by side, one thread each (detail/parallel_parts.h), in
// inference mode (thread-local); returns each one's error message, "" where it succeeded.
std::vector<std::string> eachSideBySide(std::size_t count,
                                        const std::function<void(std::size_t)>& work) {
  std::vector<std::string> errors(count);
  detail::runPartsInParallel(int(count), [&](int i) {
    c10::InferenceMode inference;
    try {
      work(std::size_t(i));
    } catch (const std::exception& error) {
      errors[std::size_t(i)] = error.what();
    }
  });
  return errors;
}

}  // namespace

struct DecodeEngine::Impl {
  Impl(const LanguageModel& model, DecodeEngineOptions options)
      : config(model.config()),
        options(options),
        maxContext(options.maxContextTokens > 0 ? options.maxContextTokens
                                                : model.config().maxPositionEmbeddings) {
    const torch::Device device = model.impl().device;
    const int count = device.is_cpu() && detail::partsRunInParallel()
                          ? std::max(1, at::get_num_threads())
                          : 1;
    auto store = std::make_shared<detail::PrefixStore>();
    for (int i = 0; i < count; ++i) {
      batches.push_back(std::make_unique<detail::DecodeBatch>(
          model.impl().module, device, options.prefixStoreBytes, store));
    }
  }

  void run();
  void dropCancelled();
  void admitQueued();
  void step();
  void report(detail::DecodeBatch& batch, const detail::RowDraw& draw);
  bool cancelled(uint64_t id);
  void retire(uint64_t id);
  void fail(detail::BatchRow& row, const std::string& message);
  void failLiveRows(detail::DecodeBatch& batch, const std::string& message);
  void shutDown();
  int64_t liveRows() const;
  // The sub-batches with rows (live or done), which a step visits.
  std::vector<detail::DecodeBatch*> busyBatches();

  const ModelConfig& config;
  const DecodeEngineOptions options;
  const int64_t maxContext;

  std::mutex mutex;  // guards the queue, the id sets, stopping and the stats
  std::condition_variable wake;
  std::deque<std::pair<uint64_t, DecodeRequest>> queue;
  std::unordered_set<uint64_t> liveIds;       // in the batch, not yet finished
  std::unordered_set<uint64_t> cancelledIds;  // live ids cancelled, their rows not yet done
  bool stopping = false;
  uint64_t nextId = 1;
  DecodeEngineStats stats;

  std::mutex callbackMutex;  // held by the engine thread while it runs callbacks
  std::thread::id engineThreadId;

  // The engine thread's alone: one per torch thread on the CPU, one otherwise.
  std::vector<std::unique_ptr<detail::DecodeBatch>> batches;
  std::thread thread;
};

DecodeEngine::DecodeEngine(const LanguageModel& model, DecodeEngineOptions options)
    : impl_(std::make_unique<Impl>(model, checked(options))) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
  // Read by cancel() only, which no caller reaches before the constructor returns.
  impl_->engineThreadId = impl_->thread.get_id();
}

DecodeEngine::~DecodeEngine() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->thread.join();
}

uint64_t DecodeEngine::submit(DecodeRequest request) {
  std::vector<DecodeRequest> one;
  one.push_back(std::move(request));
  return submitAll(std::move(one)).front();
}

std::vector<uint64_t> DecodeEngine::submitAll(std::vector<DecodeRequest> requests) {
  for (const DecodeRequest& request : requests) {
    checkRequest(request, impl_->config, impl_->maxContext);
  }
  std::vector<uint64_t> ids;
  ids.reserve(requests.size());
  {
    std::lock_guard lock(impl_->mutex);
    for (DecodeRequest& request : requests) {
      ids.push_back(impl_->nextId++);
      impl_->queue.emplace_back(ids.back(), std::move(request));
    }
    impl_->stats.queued = int64_t(impl_->queue.size());
  }
  impl_->wake.notify_all();
  return ids;
}

void DecodeEngine::cancel(uint64_t id) {
  // From a callback the engine thread already holds callbackMutex.
  std::unique_lock<std::mutex> callbacks(impl_->callbackMutex, std::defer_lock);
  if (std::this_thread::get_id() != impl_->engineThreadId) callbacks.lock();
  std::lock_guard lock(impl_->mutex);
  auto& queue = impl_->queue;
  auto queued = std::find_if(queue.begin(), queue.end(),
                             [id](const auto& entry) { return entry.first == id; });
  if (queued != queue.end()) {
    queue.erase(queued);
    impl_->stats.queued = int64_t(queue.size());
  } else if (impl_->liveIds.count(id)) {
    impl_->cancelledIds.insert(id);
  }
}

DecodeEngineStats DecodeEngine::stats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->stats;
}

int64_t DecodeEngine::maxContextTokens() const { return impl_->maxContext; }

int32_t DecodeEngine::vocabSize() const { return int32_t(impl_->config.vocabSize); }

void DecodeEngine::Impl::run() {
  at::init_num_threads();  // this thread's OpenMP team follows initTorchRuntime's count
  c10::InferenceMode inference;
  for (;;) {
    {
      std::unique_lock lock(mutex);
      wake.wait(lock, [&] { return stopping || !queue.empty() || liveRows() > 0; });
      if (stopping) break;
    }
    dropCancelled();
    admitQueued();
    step();
  }
  shutDown();
}

// Cancelled rows are done before the step, so they are neither sampled nor decoded.
void DecodeEngine::Impl::dropCancelled() {
  std::lock_guard lock(mutex);
  if (cancelledIds.empty()) return;
  for (auto& batch : batches) {
    for (detail::BatchRow& row : batch->rows()) {
      if (!row.done && cancelledIds.erase(row.id)) {
        row.done = true;
        liveIds.erase(row.id);
      }
    }
  }
}

int64_t DecodeEngine::Impl::liveRows() const {
  int64_t live = 0;
  for (const auto& batch : batches) live += batch->liveRows();
  return live;
}

std::vector<detail::DecodeBatch*> DecodeEngine::Impl::busyBatches() {
  std::vector<detail::DecodeBatch*> busy;
  for (auto& batch : batches) {
    if (!batch->rows().empty()) busy.push_back(batch.get());
  }
  return busy;
}

// Queued requests join while the batch has room, rows with one prompt into the same sub-batch,
// the one with the fewest rows; the sub-batches prefill side by side. A failed prefill fails only
// the rows it was for.
void DecodeEngine::Impl::admitQueued() {
  std::vector<detail::BatchRow> joining;
  {
    std::lock_guard lock(mutex);
    int64_t room = options.maxBatchRows - liveRows();
    while (!queue.empty() && int64_t(joining.size()) < room) {
      auto& [id, request] = queue.front();
      liveIds.insert(id);
      joining.push_back(batches.front()->makeRow(id, std::move(request)));
      queue.pop_front();
    }
    stats.queued = int64_t(queue.size());
  }
  if (joining.empty()) return;
  std::vector<int64_t> load;
  for (const auto& batch : batches) load.push_back(batch->liveRows());
  std::vector<std::span<const int32_t>> prompts;
  for (const detail::BatchRow& row : joining) prompts.emplace_back(row.request.prompt);
  const std::vector<std::size_t> partOf = detail::assignPromptGroups(prompts, std::move(load));
  std::vector<std::vector<detail::BatchRow>> parts(batches.size());
  for (std::size_t i = 0; i < joining.size(); ++i) parts[partOf[i]].push_back(std::move(joining[i]));
  std::vector<std::size_t> admitted;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].empty()) admitted.push_back(i);
  }
  struct Outcome {
    bool running = false;
    int64_t promptTokens = 0, stored = 0;
  };
  std::vector<Outcome> outcomes(admitted.size());
  const std::vector<std::string> errors = eachSideBySide(admitted.size(), [&](std::size_t i) {
    detail::DecodeBatch& batch = *batches[admitted[i]];
    std::vector<detail::BatchRow>& rows = parts[admitted[i]];
    outcomes[i].running = batch.liveRows() > 0;
    for (const detail::BatchRow& row : rows) {
      outcomes[i].promptTokens += int64_t(row.request.prompt.size());
    }
    outcomes[i].stored = batch.admit(std::move(rows));
  });
  for (std::size_t i = 0; i < admitted.size(); ++i) {
    const Outcome& outcome = outcomes[i];
    if (!errors[i].empty()) {
      std::lock_guard callbacks(callbackMutex);
      for (detail::BatchRow& row : parts[admitted[i]]) fail(row, "prefill failed: " + errors[i]);
      continue;
    }
    std::lock_guard lock(mutex);
    if (outcome.running) ++stats.joins;
    stats.promptTokens += outcome.promptTokens;
    stats.storedPromptTokens += outcome.stored;
  }
  std::lock_guard lock(mutex);
  stats.live = liveRows();
}

// One token for every live row (the sub-batches drawing side by side), reported, then the next
// decode step of every sub-batch, side by side.
void DecodeEngine::Impl::step() {
  std::vector<detail::DecodeBatch*> busy = busyBatches();
  std::vector<std::vector<detail::RowDraw>> draws(busy.size());
  std::vector<std::string> errors =
      eachSideBySide(busy.size(), [&](std::size_t i) { draws[i] = busy[i]->draw(); });
  int64_t drawn = 0;
  {
    std::lock_guard callbacks(callbackMutex);
    for (std::size_t i = 0; i < busy.size(); ++i) {
      drawn += int64_t(draws[i].size());
      for (const detail::RowDraw& draw : draws[i]) report(*busy[i], draw);
    }
  }
  for (std::size_t i = 0; i < busy.size(); ++i) {
    if (!errors[i].empty()) failLiveRows(*busy[i], "sampling failed: " + errors[i]);
  }
  if (drawn > 0) {
    std::lock_guard lock(mutex);
    ++stats.steps;
    stats.tokens += drawn;
    stats.largestBatch = std::max(stats.largestBatch, drawn);
  }
  // Every sub-batch with rows steps: one whose rows were all cancelled or finished only empties.
  busy = busyBatches();
  errors = eachSideBySide(busy.size(), [&](std::size_t i) { busy[i]->decode(); });
  for (std::size_t i = 0; i < busy.size(); ++i) {
    if (!errors[i].empty()) failLiveRows(*busy[i], "decode step failed: " + errors[i]);
  }
  std::lock_guard lock(mutex);
  stats.live = liveRows();
}

// Reports one drawn token of `batch` and ends its row when it finished. The caller holds
// callbackMutex.
void DecodeEngine::Impl::report(detail::DecodeBatch& batch, const detail::RowDraw& draw) {
  detail::BatchRow& row = batch.rows()[draw.row];
  if (cancelled(row.id)) {
    row.done = true;
    retire(row.id);
    return;
  }
  std::string error = draw.error;
  if (error.empty()) error = runCallback(row.request.onToken, draw.token, draw.logprob);
  if (!error.empty()) {
    fail(row, error);
  } else if (cancelled(row.id)) {  // by its own onToken
    row.done = true;
    retire(row.id);
  } else if (draw.finish) {
    row.done = true;
    retire(row.id);
    runCallback(row.request.onFinish, row.generation);  // it ended the request even if it threw
  }
}

bool DecodeEngine::Impl::cancelled(uint64_t id) {
  std::lock_guard lock(mutex);
  return cancelledIds.count(id) > 0;
}

void DecodeEngine::Impl::retire(uint64_t id) {
  std::lock_guard lock(mutex);
  liveIds.erase(id);
  cancelledIds.erase(id);
}

// Ends `row` with onError unless it was cancelled. The caller holds callbackMutex.
void DecodeEngine::Impl::fail(detail::BatchRow& row, const std::string& message) {
  bool wasCancelled = cancelled(row.id);
  row.done = true;
  retire(row.id);
  if (!wasCancelled) runCallback(row.request.onError, message);
}

// After a failed step the cache may be half written: every live row of the sub-batch fails and
// it empties.
void DecodeEngine::Impl::failLiveRows(detail::DecodeBatch& batch, const std::string& message) {
  std::lock_guard callbacks(callbackMutex);
  for (detail::BatchRow& row : batch.rows()) {
    if (!row.done) fail(row, message);
  }
  batch.clear();
}

void DecodeEngine::Impl::shutDown() {
  std::deque<std::pair<uint64_t, DecodeRequest>> queued;
  {
    std::lock_guard lock(mutex);
    queued.swap(queue);
    stats.queued = 0;
  }
  std::lock_guard callbacks(callbackMutex);
  for (auto& [id, request] : queued) runCallback(request.onError, std::string(kShuttingDown));
  for (auto& batch : batches) {
    for (detail::BatchRow& row : batch->rows()) {
      if (!row.done) fail(row, kShuttingDown);
    }
    batch->clear();
  }
  std::lock_guard lock(mutex);
  stats.live = 0;
}

}  // namespace astro::model
