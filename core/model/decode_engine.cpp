// Continuous batching (decode_engine.h): submit and cancel queue work under a mutex; one engine
// thread admits queued requests into the running batch (detail/decode_batch.h), draws a token for
// every live row, reports it, and runs the next decode step, sleeping on a condition variable when
// there is nothing to do.
//
// Callbacks run on the engine thread with `callbackMutex` held, and cancel() takes that mutex
// before it marks the id cancelled: once cancel returns, no callback of that id is running, and
// every later one is skipped because the engine checks the cancelled ids before each callback.
#include "core/model/decode_engine.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "core/base/error.h"
#include "core/model/detail/decode_batch.h"
#include "core/model/detail/language_model_impl.h"

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

}  // namespace

struct DecodeEngine::Impl {
  Impl(const LanguageModel& model, DecodeEngineOptions options)
      : config(model.config()),
        options(options),
        maxContext(options.maxContextTokens > 0 ? options.maxContextTokens
                                                : model.config().maxPositionEmbeddings),
        batch(model.impl().module, model.impl().device, options.prefixStoreBytes) {}

  void run();
  void dropCancelled();
  void admitQueued();
  void step();
  bool cancelled(uint64_t id);
  void retire(uint64_t id);
  void fail(detail::BatchRow& row, const std::string& message);
  void failLiveRows(const std::string& message);
  void shutDown();

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

  detail::DecodeBatch batch;  // the engine thread's alone
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
      wake.wait(lock, [&] { return stopping || !queue.empty() || batch.liveRows() > 0; });
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
  for (detail::BatchRow& row : batch.rows()) {
    if (!row.done && cancelledIds.erase(row.id)) {
      row.done = true;
      liveIds.erase(row.id);
    }
  }
}

// Queued requests join while the batch has room; a failed prefill fails only them.
void DecodeEngine::Impl::admitQueued() {
  std::vector<detail::BatchRow> joining;
  {
    std::lock_guard lock(mutex);
    int64_t room = options.maxBatchRows - batch.liveRows();
    while (!queue.empty() && int64_t(joining.size()) < room) {
      auto& [id, request] = queue.front();
      liveIds.insert(id);
      joining.push_back(batch.makeRow(id, std::move(request)));
      queue.pop_front();
    }
    stats.queued = int64_t(queue.size());
  }
  if (joining.empty()) return;
  bool running = batch.liveRows() > 0;
  int64_t promptTokens = 0;
  for (const detail::BatchRow& row : joining) promptTokens += int64_t(row.request.prompt.size());
  try {
    int64_t stored = batch.admit(std::move(joining));
    std::lock_guard lock(mutex);
    if (running) ++stats.joins;
    stats.promptTokens += promptTokens;
    stats.storedPromptTokens += stored;
    stats.live = batch.liveRows();
  } catch (const std::exception& error) {
    std::lock_guard callbacks(callbackMutex);
    for (detail::BatchRow& row : joining) fail(row, std::string("prefill failed: ") + error.what());
  }
}

// One token for every live row, reported, then the next decode step.
void DecodeEngine::Impl::step() {
  std::vector<detail::RowDraw> draws;
  try {
    draws = batch.draw();
  } catch (const std::exception& error) {
    failLiveRows(std::string("sampling failed: ") + error.what());
    return;
  }
  if (draws.empty()) {  // every row was cancelled: decode() only empties the batch
    batch.decode();
    std::lock_guard lock(mutex);
    stats.live = 0;
    return;
  }
  {
    std::lock_guard callbacks(callbackMutex);
    for (const detail::RowDraw& draw : draws) {
      detail::BatchRow& row = batch.rows()[draw.row];
      if (cancelled(row.id)) {
        row.done = true;
        retire(row.id);
        continue;
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
  }
  {
    std::lock_guard lock(mutex);
    ++stats.steps;
    stats.tokens += int64_t(draws.size());
    stats.largestBatch = std::max(stats.largestBatch, int64_t(draws.size()));
  }
  try {
    batch.decode();
  } catch (const std::exception& error) {
    failLiveRows(std::string("decode step failed: ") + error.what());
  }
  std::lock_guard lock(mutex);
  stats.live = batch.liveRows();
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

// After a failed step the cache may be half written: every live row fails and the batch empties.
void DecodeEngine::Impl::failLiveRows(const std::string& message) {
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
  for (detail::BatchRow& row : batch.rows()) {
    if (!row.done) fail(row, kShuttingDown);
  }
  batch.clear();
  std::lock_guard lock(mutex);
  stats.live = 0;
}

}  // namespace astro::model
