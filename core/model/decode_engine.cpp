// Continuous batching (decode_engine.h): submit and cancel queue work under a mutex; engine
// workers admit queued requests into their running batch (detail/decode_batch.h), draw a token for
// every live row, report it, and run the next decode step, sleeping on a condition variable when
// there is nothing to do.
//
// On the CPU with several torch threads the batch is several sub-batches, each with its own
// worker, that admit, draw and decode independently, each single-threaded (the workers run side by
// side in one OpenMP region, detail/parallel_parts.h), as LanguageModel::generate runs its
// sub-batches: a step of a few dozen rows is a chain of small products that one thread runs well
// and two share badly, and a worker never waits for another at a step (a worker slowed by other
// threads on its core, or by a join's prefill, slows only its own rows). submitAll assigns each
// request to a worker: rows with the same prompt to the same one, the one with the fewest rows
// queued and live. All share one prefix store.
//
// Callbacks run on a worker with `callbackMutex` held (so one at a time), and cancel() takes that
// mutex before it marks the id cancelled: once cancel returns, no callback of that id is running,
// and every later one is skipped because the workers check the cancelled ids before each callback.
#include "core/model/decode_engine.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_map>
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

// Set on an engine's workers: cancel() called from a callback finds callbackMutex already held.
thread_local const void* workerOfEngine = nullptr;

}  // namespace

struct DecodeEngine::Impl {
  Impl(const LanguageModel& model, DecodeEngineOptions options)
      : config(model.config()),
        options(options),
        maxContext(options.maxContextTokens > 0 ? options.maxContextTokens
                                                : model.config().maxPositionEmbeddings) {
    const torch::Device device = model.impl().device;
    const int count =
        device.is_cpu() && detail::partsRunInParallel() ? std::max(1, at::get_num_threads()) : 1;
    auto store = std::make_shared<detail::PrefixStore>();
    for (int i = 0; i < count; ++i) {
      batches.push_back(std::make_unique<detail::DecodeBatch>(model.impl().module, device,
                                                              options.prefixStoreBytes, store));
    }
    queues.resize(std::size_t(count));
    load.assign(std::size_t(count), 0);
  }

  void run();
  void work(const std::vector<std::size_t>& owned);
  bool takeWork(const std::vector<std::size_t>& owned,
                std::vector<std::vector<detail::BatchRow>>& joining);
  void admit(std::size_t worker, std::vector<detail::BatchRow>&& joining);
  void step(std::size_t worker);
  void report(detail::DecodeBatch& batch, const detail::RowDraw& draw);
  bool cancelled(uint64_t id);
  void retire(uint64_t id);
  void forget(uint64_t id);
  void fail(detail::BatchRow& row, const std::string& message);
  void failLiveRows(detail::DecodeBatch& batch, const std::string& message);
  void shutDown();
  int64_t queuedRows() const;

  const ModelConfig& config;
  const DecodeEngineOptions options;
  const int64_t maxContext;

  // Guards the queues, the id maps, the loads, stopping and the stats.
  mutable std::mutex mutex;
  std::condition_variable wake;
  // Per worker: its requests not yet admitted, in order.
  std::vector<std::deque<std::pair<uint64_t, DecodeRequest>>> queues;
  std::unordered_map<uint64_t, std::size_t> liveIds;  // admitted, not yet finished -> worker
  std::unordered_set<uint64_t> cancelledIds;          // live ids cancelled, their rows not yet done
  std::vector<int64_t> load;                          // per worker: rows queued or live
  bool stopping = false;
  uint64_t nextId = 1;
  DecodeEngineStats stats;  // queued and live are counted when asked

  std::mutex callbackMutex;  // held by a worker while it runs callbacks

  // Worker i's alone: one per torch thread on the CPU, one otherwise.
  std::vector<std::unique_ptr<detail::DecodeBatch>> batches;
  std::thread thread;
};

DecodeEngine::DecodeEngine(const LanguageModel& model, DecodeEngineOptions options)
    : impl_(std::make_unique<Impl>(model, checked(options))) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
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
  std::vector<std::span<const int32_t>> prompts;
  for (const DecodeRequest& request : requests) prompts.emplace_back(request.prompt);
  std::vector<uint64_t> ids;
  ids.reserve(requests.size());
  {
    std::lock_guard lock(impl_->mutex);
    const std::vector<std::size_t> workerOf = detail::assignPromptGroups(prompts, impl_->load);
    for (std::size_t i = 0; i < requests.size(); ++i) {
      ids.push_back(impl_->nextId++);
      ++impl_->load[workerOf[i]];
      impl_->queues[workerOf[i]].emplace_back(ids.back(), std::move(requests[i]));
    }
  }
  impl_->wake.notify_all();
  return ids;
}

void DecodeEngine::cancel(uint64_t id) {
  // From a callback a worker already holds callbackMutex.
  std::unique_lock<std::mutex> callbacks(impl_->callbackMutex, std::defer_lock);
  if (workerOfEngine != impl_.get()) callbacks.lock();
  std::lock_guard lock(impl_->mutex);
  for (std::size_t worker = 0; worker < impl_->queues.size(); ++worker) {
    auto& queue = impl_->queues[worker];
    auto queued = std::find_if(queue.begin(), queue.end(),
                               [id](const auto& entry) { return entry.first == id; });
    if (queued != queue.end()) {
      queue.erase(queued);
      --impl_->load[worker];
      return;
    }
  }
  if (impl_->liveIds.count(id)) impl_->cancelledIds.insert(id);
}

DecodeEngineStats DecodeEngine::stats() const {
  std::lock_guard lock(impl_->mutex);
  DecodeEngineStats stats = impl_->stats;
  stats.queued = impl_->queuedRows();
  stats.live = int64_t(impl_->liveIds.size() - impl_->cancelledIds.size());
  return stats;
}

int64_t DecodeEngine::maxContextTokens() const { return impl_->maxContext; }

int32_t DecodeEngine::vocabSize() const { return int32_t(impl_->config.vocabSize); }

// The workers side by side until the engine stops, then what is left fails. Each thread of the
// team runs the workers w = member, member + members, ...: one each unless OpenMP gave fewer
// threads than asked (OMP_THREAD_LIMIT, OMP_DYNAMIC), when one thread takes turns with several.
void DecodeEngine::Impl::run() {
  at::init_num_threads();  // this thread's OpenMP team follows initTorchRuntime's count
  detail::runAsTeam(int(batches.size()), [this](int member, int members) {
    workerOfEngine = this;
    c10::InferenceMode inference;
    std::vector<std::size_t> owned;
    for (std::size_t w = std::size_t(member); w < batches.size(); w += std::size_t(members)) {
      owned.push_back(w);
    }
    work(owned);
    workerOfEngine = nullptr;
  });
  c10::InferenceMode inference;
  shutDown();
}

void DecodeEngine::Impl::work(const std::vector<std::size_t>& owned) {
  std::vector<std::vector<detail::BatchRow>> joining(owned.size());
  while (takeWork(owned, joining)) {
    for (std::size_t i = 0; i < owned.size(); ++i) {
      if (!joining[i].empty()) admit(owned[i], std::move(joining[i]));
      joining[i].clear();
      step(owned[i]);
    }
  }
}

// Waits until one of the `owned` workers has rows to step or requests it may admit; marks their
// cancelled rows done (so they are neither sampled nor decoded) and takes queued requests while
// the engine has room (joining[i] for owned[i]). False when the engine stops.
bool DecodeEngine::Impl::takeWork(const std::vector<std::size_t>& owned,
                                  std::vector<std::vector<detail::BatchRow>>& joining) {
  std::unique_lock lock(mutex);
  auto room = [&] { return options.maxBatchRows - int64_t(liveIds.size()); };
  wake.wait(lock, [&] {
    if (stopping) return true;
    for (std::size_t w : owned) {
      if (batches[w]->liveRows() > 0 || (!queues[w].empty() && room() > 0)) return true;
    }
    return false;
  });
  if (stopping) return false;
  bool freed = false;
  for (std::size_t i = 0; i < owned.size(); ++i) {
    detail::DecodeBatch& batch = *batches[owned[i]];
    if (!cancelledIds.empty()) {
      for (detail::BatchRow& row : batch.rows()) {
        if (!row.done && cancelledIds.count(row.id)) {
          row.done = true;
          forget(row.id);
          freed = true;
        }
      }
    }
    auto& queue = queues[owned[i]];
    while (!queue.empty() && room() > 0) {
      auto& [id, request] = queue.front();
      liveIds.emplace(id, owned[i]);
      joining[i].push_back(batch.makeRow(id, std::move(request)));
      queue.pop_front();
    }
  }
  lock.unlock();
  if (freed && queues.size() > 1)
    wake.notify_all();  // another worker may have been waiting for room
  return true;
}

// Prefills the joining rows into the worker's batch; a failed prefill fails only those rows.
void DecodeEngine::Impl::admit(std::size_t worker, std::vector<detail::BatchRow>&& joining) {
  detail::DecodeBatch& batch = *batches[worker];
  const bool running = batch.liveRows() > 0;
  int64_t promptTokens = 0;
  for (const detail::BatchRow& row : joining) promptTokens += int64_t(row.request.prompt.size());
  try {
    const int64_t stored = batch.admit(std::move(joining));
    std::lock_guard lock(mutex);
    if (running) ++stats.joins;
    stats.promptTokens += promptTokens;
    stats.storedPromptTokens += stored;
  } catch (const std::exception& error) {
    std::lock_guard callbacks(callbackMutex);
    for (detail::BatchRow& row : joining) fail(row, std::string("prefill failed: ") + error.what());
  }
}

// One token for every live row of the worker's batch, reported, then its next decode step.
void DecodeEngine::Impl::step(std::size_t worker) {
  detail::DecodeBatch& batch = *batches[worker];
  if (batch.rows().empty()) return;
  std::vector<detail::RowDraw> draws;
  try {
    draws = batch.draw();
  } catch (const std::exception& error) {
    failLiveRows(batch, std::string("sampling failed: ") + error.what());
    return;
  }
  if (!draws.empty()) {
    {
      std::lock_guard callbacks(callbackMutex);
      for (const detail::RowDraw& draw : draws) report(batch, draw);
    }
    std::lock_guard lock(mutex);
    ++stats.steps;
    stats.tokens += int64_t(draws.size());
    stats.largestBatch = std::max(stats.largestBatch, int64_t(draws.size()));
  }
  // A batch whose rows were all cancelled or finished only empties.
  try {
    batch.decode();
  } catch (const std::exception& error) {
    failLiveRows(batch, std::string("decode step failed: ") + error.what());
  }
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

// The row left the engine: its worker has room again, and a worker waiting for room may admit.
void DecodeEngine::Impl::retire(uint64_t id) {
  bool waiting = false;
  {
    std::lock_guard lock(mutex);
    forget(id);
    waiting = queues.size() > 1 && queuedRows() > 0;
  }
  if (waiting) wake.notify_all();
}

// retire's bookkeeping; the caller holds mutex.
void DecodeEngine::Impl::forget(uint64_t id) {
  auto live = liveIds.find(id);
  if (live != liveIds.end()) {
    --load[live->second];
    liveIds.erase(live);
  }
  cancelledIds.erase(id);
}

// Ends `row` with onError unless it was cancelled. The caller holds callbackMutex.
void DecodeEngine::Impl::fail(detail::BatchRow& row, const std::string& message) {
  bool wasCancelled = cancelled(row.id);
  row.done = true;
  retire(row.id);
  if (!wasCancelled) runCallback(row.request.onError, message);
}

// After a failed step the cache may be half written: every live row of the batch fails and it
// empties.
void DecodeEngine::Impl::failLiveRows(detail::DecodeBatch& batch, const std::string& message) {
  std::lock_guard callbacks(callbackMutex);
  for (detail::BatchRow& row : batch.rows()) {
    if (!row.done) fail(row, message);
  }
  batch.clear();
}

int64_t DecodeEngine::Impl::queuedRows() const {
  int64_t queued = 0;
  for (const auto& queue : queues) queued += int64_t(queue.size());
  return queued;
}

// After the workers stopped: every queued request and live row fails.
void DecodeEngine::Impl::shutDown() {
  std::vector<std::deque<std::pair<uint64_t, DecodeRequest>>> queued(queues.size());
  {
    std::lock_guard lock(mutex);
    queued.swap(queues);
    queues.resize(queued.size());
  }
  std::lock_guard callbacks(callbackMutex);
  for (auto& queue : queued) {
    for (auto& [id, request] : queue) runCallback(request.onError, std::string(kShuttingDown));
  }
  for (auto& batch : batches) {
    for (detail::BatchRow& row : batch->rows()) {
      if (!row.done) fail(row, kShuttingDown);
    }
    batch->clear();
  }
}

}  // namespace astro::model
