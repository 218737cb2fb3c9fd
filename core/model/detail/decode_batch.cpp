// The running batch of continuous batching (detail/decode_batch.h). A step is: draw a token for
// every live row (rows with the same temperature, top-p and top-k sample together, each from its
// own generator), apply the stop rules, drop done rows in bulk, and run one decode forward pass
// over the rest. Joining rows are prefilled on their own (from the prefix store where a finished
// row's sequence starts their prompt) and merged into the cache between steps; rows admitted into
// an empty batch share their prompts' keys and values (KvCache::prefix) as generate's rows do.
#include "core/model/detail/decode_batch.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/model/detail/kv_cache_merge.h"
#include "core/model/detail/prefill.h"
#include "core/model/detail/sampling.h"
#include "core/model/detail/stop_rules.h"
#include "core/model/detail/stored_rows.h"

namespace astro::model::detail {

namespace {

// Free cache slots the rows need: a live row that has drawn g of its limit m tokens feeds at most
// m - g - 1 more, so m - g is enough (one spare, as generate allocates maxNewTokens). Done rows
// ride along and need nothing: the number of steps is bounded by the live rows.
int64_t freeSlotsFor(const std::vector<BatchRow>& rows) {
  int64_t slots = 0;
  for (const BatchRow& row : rows) {
    if (!row.done) slots = std::max(slots, row.limit - int64_t(row.generation.ids.size()));
  }
  return slots;
}

std::vector<int64_t> liveIndices(const std::vector<BatchRow>& rows) {
  std::vector<int64_t> live;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].done) live.push_back(int64_t(i));
  }
  return live;
}

}  // namespace

DecodeBatch::DecodeBatch(LlamaModel module, torch::Device device, int64_t prefixStoreBytes,
                         std::shared_ptr<PrefixStore> store)
    : module_(std::move(module)),
      device_(device),
      prefixStoreBytes_(prefixStoreBytes),
      store_(std::move(store)) {}

BatchRow DecodeBatch::makeRow(uint64_t id, DecodeRequest request) const {
  const GenerationOptions& options = request.options;
  BatchRow row;
  row.id = id;
  row.stopIds = options.stopIds;
  if (options.stopAtEos) {
    for (int64_t eos : module_->config().eosTokenIds) row.stopIds.push_back(int32_t(eos));
  }
  for (const std::string& stop : options.stopStrings) {
    row.longestStop = std::max(row.longestStop, stop.size());
  }
  row.limit = options.maxNewTokens;
  if (!options.rowMaxNewTokens.empty()) row.limit = std::min(row.limit, options.rowMaxNewTokens[0]);
  row.generator = rowGenerators(1, options);
  row.position = int64_t(request.prompt.size());
  row.request = std::move(request);
  return row;
}

int64_t DecodeBatch::liveRows() const {
  return std::count_if(rows_.begin(), rows_.end(), [](const BatchRow& row) { return !row.done; });
}

int64_t DecodeBatch::admit(std::vector<BatchRow>&& joining) {
  if (joining.empty()) return 0;
  std::vector<const std::vector<int32_t>*> prompts;
  for (const BatchRow& row : joining) prompts.push_back(&row.request.prompt);
  std::vector<int64_t> kept = liveIndices(rows_);
  int64_t freeSlots = std::max(freeSlotsFor(rows_), freeSlotsFor(joining));
  // Alone, the prefilled cache is the batch's (as generate allocates it), and rows that share a
  // prompt read its keys and values once (a shared prefix, as generate decodes on the CPU in
  // float32: the n choices of a request, the k proposals of an expansion); otherwise the merge
  // allocates the joined cache, flattening a shared prefix first, and the prefill needs no free
  // slots.
  const bool alone = kept.empty();
  Prefill prefill = prefillPrompts(
      module_, device_, prompts,
      {.newTokens = alone ? freeSlots : 0,
       .store = prefixStoreBytes_ > 0 ? store_.get() : nullptr,
       .sharePrefix = alone && device_.is_cpu() &&
                      module_->outputEmbedding().scalar_type() == torch::kFloat32});
  if (alone) {
    cache_ = std::move(prefill.cache);
    prefixHeads_.clear();
    logits_ = prefill.logits;
    rows_ = std::move(joining);
    return prefill.storedTokens;
  }
  KvCache merged = mergeKvCaches(withoutSharedPrefix(cache_), kept, prefill.cache, freeSlots);
  prefixHeads_.clear();
  auto keptLogits = logits_.index_select(0, torch::tensor(kept, torch::kLong).to(device_));
  logits_ = torch::cat({keptLogits, prefill.logits}, 0);
  cache_ = std::move(merged);
  std::vector<BatchRow> rows;
  for (int64_t i : kept) rows.push_back(std::move(rows_[std::size_t(i)]));
  for (BatchRow& row : joining) rows.push_back(std::move(row));
  rows_ = std::move(rows);
  return prefill.storedTokens;
}

std::vector<RowDraw> DecodeBatch::draw() {
  std::vector<int64_t> live = liveIndices(rows_);
  if (live.empty()) return {};
  auto liveLogits = logits_;  // [live, V]
  if (int64_t(live.size()) < int64_t(rows_.size())) {
    liveLogits = logits_.index_select(0, torch::tensor(live, torch::kLong).to(device_));
  }
  liveLogits = liveLogits.to(torch::kCPU);

  // Rows that shape their distribution alike sample together: [live] int64 tokens, and each
  // token's log-probability (computed for the groups where a row asked for it).
  auto tokens = torch::empty({int64_t(live.size())}, torch::kLong);
  std::vector<float> logprobs(live.size());
  std::map<std::tuple<double, double, int64_t>, std::vector<int64_t>> groups;
  for (std::size_t i = 0; i < live.size(); ++i) {
    const GenerationOptions& options = rows_[std::size_t(live[i])].request.options;
    groups[{options.temperature, options.topP, options.topK}].push_back(int64_t(i));
  }
  std::vector<float> groupLogprobs;
  for (const auto& [settings, members] : groups) {
    const GenerationOptions& options =
        rows_[std::size_t(live[std::size_t(members[0])])].request.options;
    std::vector<at::Generator*> generators;
    bool wantLogprobs = false;
    for (int64_t i : members) {
      BatchRow& row = rows_[std::size_t(live[std::size_t(i)])];
      if (!row.generator.empty()) generators.push_back(&row.generator.front());
      wantLogprobs = wantLogprobs || row.request.options.returnLogprobs;
    }
    auto index = torch::tensor(members, torch::kLong);
    auto groupLogits =
        members.size() == live.size() ? liveLogits : liveLogits.index_select(0, index);
    groupLogprobs.assign(wantLogprobs ? members.size() : 0, 0.0f);
    tokens.index_copy_(0, index, sampleNextTokens(groupLogits, options, generators, groupLogprobs));
    for (std::size_t j = 0; j < groupLogprobs.size(); ++j) {
      logprobs[std::size_t(members[j])] = groupLogprobs[j];
    }
  }

  std::vector<RowDraw> draws;
  std::vector<int64_t> finishedRows;  // for the prefix store
  std::vector<std::vector<int32_t>> finishedTokens;
  for (std::size_t i = 0; i < live.size(); ++i) {
    BatchRow& row = rows_[std::size_t(live[i])];
    RowDraw draw{.row = std::size_t(live[i]), .token = int32_t(tokens.data_ptr<int64_t>()[i])};
    row.generation.ids.push_back(draw.token);
    if (row.request.options.returnLogprobs) {
      draw.logprob = logprobs[i];
      row.generation.logprobs.push_back(draw.logprob);
    }
    row.token = draw.token;
    try {
      draw.finish = finishAfterNewest(row.generation, row.request.options, row.stopIds,
                                      row.longestStop, row.limit);
      if (draw.finish) row.generation.finishReason = *draw.finish;
    } catch (const std::exception& error) {
      draw.error = std::string("stop strings: ") + error.what();
    }
    if (draw.finish && prefixStoreBytes_ > 0) {
      // What the row's cache holds: the prompt and every drawn token but the newest (not fed).
      finishedRows.push_back(int64_t(draw.row));
      finishedTokens.push_back(row.request.prompt);
      finishedTokens.back().insert(finishedTokens.back().end(), row.generation.ids.begin(),
                                   row.generation.ids.end() - 1);
    }
    draws.push_back(std::move(draw));
  }
  if (!finishedRows.empty() && cache_.prefix) {
    storeSharedPrefixRows(cache_, finishedRows, std::move(finishedTokens), prefixHeads_, *store_,
                          prefixStoreBytes_);
  } else if (!finishedRows.empty()) {
    storeRows(cache_, finishedRows, std::move(finishedTokens), *store_, prefixStoreBytes_);
  }
  return draws;
}

void DecodeBatch::keepLiveRows() {
  std::vector<int64_t> kept = liveIndices(rows_);
  if (kept.empty()) {
    clear();
    return;
  }
  auto index = torch::tensor(kept, torch::kLong).to(device_);
  cache_.keepRows(index);
  logits_ = logits_.index_select(0, index);
  std::vector<BatchRow> rows;
  for (int64_t i : kept) rows.push_back(std::move(rows_[std::size_t(i)]));
  rows_ = std::move(rows);
}

void DecodeBatch::decode() {
  // One cache copy per quarter of the rows finishing instead of one per row, as generate does.
  auto done = std::size_t(int64_t(rows_.size()) - liveRows());
  if (done > 0 && (done == rows_.size() || done >= std::max<std::size_t>(1, rows_.size() / 4))) {
    keepLiveRows();
  }
  if (rows_.empty()) return;
  if (cache_.length >= cache_.capacity()) {  // not expected (admit sizes it); grow rather than fail
    std::vector<int64_t> all(rows_.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = int64_t(i);
    cache_ = mergeKvCaches(withoutSharedPrefix(cache_), all, {},
                           std::max<int64_t>(1, freeSlotsFor(rows_)));
    prefixHeads_.clear();
  }
  auto rows = int64_t(rows_.size());
  std::vector<int64_t> tokens, positions;
  for (const BatchRow& row : rows_) {
    tokens.push_back(row.token);
    positions.push_back(row.position);
  }
  ForwardInput step =
      ForwardInput::of(torch::tensor(tokens, torch::kLong).view({rows, 1}).to(device_),
                       torch::tensor(positions, torch::kLong).view({rows, 1}).to(device_));
  step.lastPositionOnly = true;
  logits_ = module_->forward(step, &cache_).select(1, 0);  // [rows, V]
  for (BatchRow& row : rows_) ++row.position;
}

void DecodeBatch::clear() {
  rows_.clear();
  cache_ = {};
  prefixHeads_.clear();
  logits_ = torch::Tensor();
}

}  // namespace astro::model::detail
