// Batched, KV-cached generation: prompts are prefilled (detail/prefill.h: identical prompts once,
// similar lengths together), then decoded one token per step for every live sequence; finished
// sequences leave the batch (and the cache). On the CPU with several threads a large batch runs
// as independent sub-batches side by side, one per thread. Sampling (detail/sampling.h) draws each row's tokens
// from that prompt's own generator.
#include <ATen/Parallel.h>

#include <algorithm>
#include <memory>
#include <span>

#include "core/base/error.h"
#include "core/model/detail/language_model_impl.h"
#include "core/model/detail/parallel_parts.h"
#include "core/model/detail/prompt_groups.h"
#include "core/model/detail/prefill.h"
#include "core/model/detail/prefix_store.h"
#include "core/model/detail/stored_rows.h"
#include "core/model/detail/sampling.h"
#include "core/model/detail/stop_rules.h"

namespace astro::model {

namespace {

using detail::finishAfterNewest;
using detail::ForwardInput;
using detail::KvCache;


// How many tokens prompt `index` may generate: maxNewTokens, or less where rowMaxNewTokens says.
int64_t rowLimit(const GenerationOptions& options, std::size_t index) {
  if (options.rowMaxNewTokens.empty()) return options.maxNewTokens;
  return std::min(options.maxNewTokens, options.rowMaxNewTokens[index]);
}

// Prompts `indices` decoded together. A finished sequence leaves the batch when a
// quarter of the rows have finished (one cache copy per quarter instead of one per sequence);
// until then its row is computed and ignored. Live rows draw from generators[prompt index] (empty
// when greedy), one draw per generated token, so a row's draws do not depend on its neighbours.
void generateBatch(detail::LlamaModel& module, const torch::Device& device,
                   const std::vector<std::vector<int32_t>>& prompts,
                   std::span<const std::size_t> indices, const GenerationOptions& options,
                   const std::vector<int32_t>& stopIds, std::vector<at::Generator>& generators,
                   detail::PrefixStore* store, std::vector<Generation>& results) {
  const std::size_t count = indices.size();
  std::vector<const std::vector<int32_t>*> batchPrompts;
  for (std::size_t i : indices) batchPrompts.push_back(&prompts[i]);
  std::size_t longestStop = 1;
  for (const std::string& stop : options.stopStrings) {
    longestStop = std::max(longestStop, stop.size());
  }
  // Rows that share a prompt read its keys and values once (decode attention on the CPU in
  // float32) instead of holding copies.
  const bool sharePrefix = options.sharePromptPrefill && device.is_cpu() &&
                           module->outputEmbedding().scalar_type() == torch::kFloat32;
  detail::PrefixHeads prefixHeads;
  detail::Prefill prefill = detail::prefillPrompts(module, device, batchPrompts,
                                                   {.newTokens = options.maxNewTokens,
                                                    .sharePrompts = options.sharePromptPrefill,
                                                    .store = store,
                                                    .sharePrefix = sharePrefix});
  KvCache cache = std::move(prefill.cache);
  torch::Tensor logits = prefill.logits;  // [rows, V]

  // Per cache row: its result, whether it still generates, the last token fed and its position.
  std::vector<std::size_t> rowResult;
  std::vector<char> rowLive(count, 1);
  std::vector<int64_t> rowToken(count, 0), rowPosition;
  for (std::size_t index : indices) {
    rowResult.push_back(index);
    rowPosition.push_back(int64_t(prompts[index].size()));
  }
  std::size_t liveCount = count;
  for (;;) {
    std::vector<int64_t> liveRows;
    for (std::size_t row = 0; row < rowLive.size(); ++row) {
      if (rowLive[row]) liveRows.push_back(int64_t(row));
    }
    auto liveLogits = logits;  // [live, V]
    if (liveRows.size() < rowLive.size()) {
      liveLogits = logits.index_select(0, torch::tensor(liveRows, torch::kLong).to(device));
    }
    liveLogits = liveLogits.to(torch::kCPU);  // float32
    std::vector<at::Generator*> liveGenerators;
    if (!generators.empty()) {
      for (int64_t row : liveRows)
        liveGenerators.push_back(&generators[rowResult[std::size_t(row)]]);
    }
    std::vector<float> chosenLogprobs(options.returnLogprobs ? liveRows.size() : 0);
    auto next = detail::sampleNextTokens(liveLogits, options, liveGenerators, chosenLogprobs)
                    .contiguous();      // [live]
    std::vector<int64_t> finishedRows;  // this step's, for the prefix store
    std::vector<std::vector<int32_t>> finishedTokens;
    for (std::size_t i = 0; i < liveRows.size(); ++i) {
      auto row = std::size_t(liveRows[i]);
      Generation& generation = results[rowResult[row]];
      int32_t token = int32_t(next.data_ptr<int64_t>()[i]);
      generation.ids.push_back(token);
      if (options.returnLogprobs) generation.logprobs.push_back(chosenLogprobs[i]);
      rowToken[row] = token;
      if (auto reason = finishAfterNewest(generation, options, stopIds, longestStop,
                                          rowLimit(options, rowResult[row]))) {
        generation.finishReason = *reason;
        if (store) {
          finishedRows.push_back(int64_t(row));
          finishedTokens.push_back(prompts[rowResult[row]]);
          finishedTokens.back().insert(finishedTokens.back().end(), generation.ids.begin(),
                                       generation.ids.end() - 1);
        }
        rowLive[row] = 0;
        --liveCount;
      }
    }
    if (!finishedRows.empty()) {
      if (cache.prefix) {
        detail::storeSharedPrefixRows(cache, finishedRows, std::move(finishedTokens), prefixHeads, *store,
                              options.prefixStoreBytes);
      } else {
        detail::storeRows(cache, finishedRows, std::move(finishedTokens), *store, options.prefixStoreBytes);
      }
    }
    if (liveCount == 0) return;
    std::size_t finished = rowLive.size() - liveCount;
    if (finished >= std::max<std::size_t>(1, rowLive.size() / 4)) {
      std::vector<int64_t> keep;
      for (std::size_t row = 0; row < rowLive.size(); ++row) {
        if (rowLive[row]) keep.push_back(int64_t(row));
      }
      cache.keepRows(torch::tensor(keep, torch::kLong).to(device));
      std::vector<std::size_t> keptResult;
      std::vector<int64_t> keptToken, keptPosition;
      for (int64_t row : keep) {
        keptResult.push_back(rowResult[std::size_t(row)]);
        keptToken.push_back(rowToken[std::size_t(row)]);
        keptPosition.push_back(rowPosition[std::size_t(row)]);
      }
      rowResult = std::move(keptResult);
      rowToken = std::move(keptToken);
      rowPosition = std::move(keptPosition);
      rowLive.assign(keep.size(), 1);
    }
    auto rows = int64_t(rowLive.size());
    ForwardInput decodeStep =
        ForwardInput::of(torch::tensor(rowToken, torch::kLong).view({rows, 1}).to(device),
                         torch::tensor(rowPosition, torch::kLong).view({rows, 1}).to(device));
    decodeStep.lastPositionOnly = true;
    logits = module->forward(decodeStep, &cache).select(1, 0);  // [rows, V]
    for (int64_t& position : rowPosition) ++position;
  }
}

// Rows each sub-batch gets at least. bench_mcts' batched search at 2 threads (calls of 64 and of
// 15-16 rows) took 0.13 s with 4 and 0.15-0.16 s with 8, which keeps the 15-row rollout calls
// whole.
constexpr std::size_t kMinRowsPerSubBatch = 4;

// Prompts [first, first + count) split into independent sub-batches, one per torch thread, when
// the batch runs on the CPU with several threads and is large enough: a decode step of a few
// dozen rows is a chain of small products and kernels that one thread runs well and several share
// badly, so two halves decoded side by side on two cores go nearly twice as fast as the whole on
// both. Prompts are grouped as detail/prompt_groups.h says; each sub-batch lists its prompts in
// order. One sub-batch (no split) otherwise.
std::vector<std::vector<std::size_t>> subBatches(const std::vector<std::vector<int32_t>>& prompts,
                                                 std::size_t first, std::size_t count,
                                                 const torch::Device& device) {
  std::vector<std::size_t> all(count);
  for (std::size_t i = 0; i < count; ++i) all[i] = first + i;
  const auto threads = std::size_t(std::max(1, at::get_num_threads()));
  std::size_t parts = std::min(threads, count / kMinRowsPerSubBatch);
  if (!device.is_cpu() || parts < 2 || at::in_parallel_region() ||
      !detail::partsRunInParallel()) {
    return {std::move(all)};
  }
  std::vector<std::span<const int32_t>> batch;
  for (std::size_t index : all) batch.emplace_back(prompts[index]);
  if (detail::distinctPrompts(batch) < parts) return {std::move(all)};
  const std::vector<std::size_t> partOf =
      detail::assignPromptGroups(batch, std::vector<int64_t>(parts, 0));
  std::vector<std::vector<std::size_t>> result(parts);
  for (std::size_t i = 0; i < count; ++i) result[partOf[i]].push_back(all[i]);  // in order
  return result;
}

}  // namespace

std::vector<Generation> LanguageModel::generate(const std::vector<std::vector<int32_t>>& prompts,
                                                const GenerationOptions& options) const {
  checkGenerationRequest(prompts, options);
  if (!options.stopStrings.empty() && !options.decode) {
    throw UsageError("stop strings need a decode function (a tokenizer)");
  }
  std::vector<int32_t> stopIds = options.stopIds;
  if (options.stopAtEos) {
    for (int64_t id : config().eosTokenIds) stopIds.push_back(int32_t(id));
  }
  c10::InferenceMode inference;
  std::vector<at::Generator> generators = detail::rowGenerators(prompts.size(), options);
  std::vector<Generation> results(prompts.size());
  std::size_t batchSize = std::size_t(std::max<int64_t>(1, options.maxBatchSize));
  for (std::size_t first = 0; first < prompts.size(); first += batchSize) {
    std::size_t count = std::min(batchSize, prompts.size() - first);
    detail::PrefixStore* store = options.reusePrefixes ? &impl_->prefixStore : nullptr;
    const auto parts = subBatches(prompts, first, count, impl_->device);
    if (parts.size() == 1) {
      generateBatch(impl_->module, impl_->device, prompts, parts.front(), options, stopIds,
                    generators, store, results);
      continue;
    }
    // One sub-batch per thread, each single-threaded inside (detail/parallel_parts.h). They
    // touch disjoint results and generators; the prefix store and the fused weights lock.
    detail::runPartsInParallel(int(parts.size()), [&](int part) {
      c10::InferenceMode threadInference;  // thread-local, as grad mode is
      generateBatch(impl_->module, impl_->device, prompts, parts[std::size_t(part)], options,
                    stopIds, generators, store, results);
    });
  }
  return results;
}

}  // namespace astro::model
