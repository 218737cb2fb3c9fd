// Batched, KV-cached generation: prompts are prefilled (detail/prefill.h: identical prompts once,
// similar lengths together), then decoded one token per step for every live sequence; finished
// sequences leave the batch (and the cache). Sampling (detail/sampling.h) draws each row's tokens
// from that prompt's own generator.
#include <algorithm>
#include <memory>
#include <span>

#include "core/base/error.h"
#include "core/model/detail/language_model_impl.h"
#include "core/model/detail/prefill.h"
#include "core/model/detail/prefix_store.h"
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

// Per group of a cache's shared prefix, its prompt as a stored sequence (made when the group's
// first row is stored), which the stored sequences of the group's rows start with.
using PrefixHeads = std::vector<std::shared_ptr<const detail::StoredSequence>>;

// Group `group`'s filled prefix slots as a sequence of `prompt`'s tokens, null when they are not
// the prompt's. Views of the prefix, no copy: each run of adjacent filled slots (a stored prefix,
// then the computed rest after padding) is one link of a chain of sequences.
std::shared_ptr<const detail::StoredSequence> prefixHead(const detail::SharedPrefix& prefix,
                                                         int64_t group,
                                                         std::span<const int32_t> prompt) {
  auto bias = prefix.keyBias[group].contiguous();
  const float* slotBias = bias.data_ptr<float>();
  std::vector<std::pair<int64_t, int64_t>> runs;  // (first slot, length)
  int64_t filled = 0;
  for (int64_t slot = 0; slot < prefix.slots(); ++slot) {
    if (slotBias[slot] != 0.0f) continue;
    if (runs.empty() || runs.back().first + runs.back().second != slot) runs.emplace_back(slot, 0);
    ++runs.back().second;
    ++filled;
  }
  if (filled == 0 || filled > int64_t(prompt.size())) return nullptr;
  std::shared_ptr<const detail::StoredSequence> head;
  int64_t length = 0;
  for (auto [firstSlot, slots] : runs) {
    auto link = std::make_shared<detail::StoredSequence>();
    link->tokens.assign(prompt.begin(), prompt.begin() + std::ptrdiff_t(length + slots));
    link->head = head;
    link->headLength = length;
    for (std::size_t layer = 0; layer < prefix.keys.size(); ++layer) {
      // [KV, P, D] -> this run's [slots, KV, D]
      link->keys.push_back(prefix.keys[layer][group].narrow(1, firstSlot, slots).transpose(0, 1));
      link->values.push_back(
          prefix.values[layer][group].narrow(1, firstSlot, slots).transpose(0, 1));
    }
    length += slots;
    head = std::move(link);
  }
  return head;
}

// storeRows for a cache with a shared prefix: each row's sequence is its group's head (the prompt)
// and views of the row's own slots, so storing copies no keys or values.
void storeSharedPrefixRows(const KvCache& cache, const std::vector<int64_t>& rows,
                           std::vector<std::vector<int32_t>> tokens, PrefixHeads& heads,
                           detail::PrefixStore& store, int64_t budgetBytes) {
  const int64_t own = cache.length - cache.prefixSlots();
  heads.resize(std::size_t(cache.prefix->groups()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto row = rows[i];
    auto group = cache.prefixGroup[std::size_t(row)];
    auto& head = heads[std::size_t(group)];
    if (!head) head = prefixHead(*cache.prefix, group, tokens[i]);
    if (!head) continue;
    auto headLength = int64_t(head->tokens.size());
    // A misaligned row keeps nothing (as in storeRows).
    if (headLength + own != int64_t(tokens[i].size()) ||
        !std::equal(head->tokens.begin(), head->tokens.end(), tokens[i].begin())) {
      continue;
    }
    detail::StoredSequence sequence;
    sequence.tokens = std::move(tokens[i]);
    sequence.head = head;
    sequence.headLength = headLength;
    for (std::size_t layer = 0; layer < cache.keys.size(); ++layer) {
      sequence.keys.push_back(cache.keys[layer][row].narrow(1, 0, own).transpose(0, 1));
      sequence.values.push_back(cache.values[layer][row].narrow(1, 0, own).transpose(0, 1));
    }
    store.insert(std::move(sequence), budgetBytes);
  }
}

// Keeps finished cache rows `rows` (each its prompt and the generated tokens fed so far: all but
// the newest) in `store` for later prompts that start the same way. The filled slots of all rows
// are gathered by one indexing op per layer; the stored sequences are views of that gather.
void storeRows(const KvCache& cache, const std::vector<int64_t>& rows,
               std::vector<std::vector<int32_t>> tokens, detail::PrefixStore& store,
               int64_t budgetBytes) {
  auto device = cache.keyBias.device();
  auto rowIndex = torch::tensor(rows, torch::kLong);
  auto bias = cache.keyBias.narrow(1, 0, cache.length)
                  .index_select(0, rowIndex.to(device))
                  .to(torch::kCPU)
                  .contiguous();  // [rows, S]
  std::vector<int64_t> gatherRows, gatherSlots, kept;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // Filled slots in order (padding, anywhere before the prompt's end, has a nonzero bias).
    const float* rowBias = bias.data_ptr<float>() + int64_t(i) * cache.length;
    std::vector<int64_t> slots;
    for (int64_t slot = 0; slot < cache.length; ++slot) {
      if (rowBias[slot] == 0.0f) slots.push_back(slot);
    }
    if (slots.size() != tokens[i].size()) continue;  // a misaligned row: keep nothing of it
    gatherRows.insert(gatherRows.end(), slots.size(), rows[i]);
    gatherSlots.insert(gatherSlots.end(), slots.begin(), slots.end());
    kept.push_back(int64_t(i));
  }
  if (kept.empty()) return;
  auto rowTensor = torch::tensor(gatherRows, torch::kLong).to(device);
  auto slotTensor = torch::tensor(gatherSlots, torch::kLong).to(device);
  using torch::indexing::Slice;
  std::vector<torch::Tensor> keys, values;  // per layer [filled slots of all rows, KV, D]
  for (std::size_t layer = 0; layer < cache.keys.size(); ++layer) {
    keys.push_back(cache.keys[layer].index({rowTensor, Slice(), slotTensor}));
    values.push_back(cache.values[layer].index({rowTensor, Slice(), slotTensor}));
  }
  int64_t offset = 0;
  for (int64_t i : kept) {
    detail::StoredSequence sequence;
    sequence.tokens = std::move(tokens[std::size_t(i)]);
    auto length = int64_t(sequence.tokens.size());
    for (std::size_t layer = 0; layer < keys.size(); ++layer) {
      sequence.keys.push_back(keys[layer].narrow(0, offset, length));
      sequence.values.push_back(values[layer].narrow(0, offset, length));
    }
    offset += length;
    store.insert(std::move(sequence), budgetBytes);
  }
}

// Prompts [first, first + count) decoded together. A finished sequence leaves the batch when a
// quarter of the rows have finished (one cache copy per quarter instead of one per sequence);
// until then its row is computed and ignored. Live rows draw from generators[prompt index] (empty
// when greedy), one draw per generated token, so a row's draws do not depend on its neighbours.
void generateBatch(detail::LlamaModel& module, const torch::Device& device,
                   const std::vector<std::vector<int32_t>>& prompts, std::size_t first,
                   std::size_t count, const GenerationOptions& options,
                   const std::vector<int32_t>& stopIds, std::vector<at::Generator>& generators,
                   detail::PrefixStore* store, std::vector<Generation>& results) {
  std::vector<const std::vector<int32_t>*> batchPrompts;
  for (std::size_t i = first; i < first + count; ++i) batchPrompts.push_back(&prompts[i]);
  std::size_t longestStop = 1;
  for (const std::string& stop : options.stopStrings) {
    longestStop = std::max(longestStop, stop.size());
  }
  // Rows that share a prompt read its keys and values once (decode attention on the CPU in
  // float32) instead of holding copies.
  const bool sharePrefix = options.sharePromptPrefill && device.is_cpu() &&
                           module->outputEmbedding().scalar_type() == torch::kFloat32;
  PrefixHeads prefixHeads;
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
  for (std::size_t row = 0; row < count; ++row) {
    rowResult.push_back(first + row);
    rowPosition.push_back(int64_t(prompts[first + row].size()));
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
    auto next =
        detail::sampleNextTokens(liveLogits, options, liveGenerators).contiguous();  // [live]
    torch::Tensor chosenLogprobs;
    if (options.returnLogprobs) {
      chosenLogprobs =
          torch::log_softmax(liveLogits, -1).gather(1, next.unsqueeze(1)).squeeze(1).contiguous();
    }
    std::vector<int64_t> finishedRows;  // this step's, for the prefix store
    std::vector<std::vector<int32_t>> finishedTokens;
    for (std::size_t i = 0; i < liveRows.size(); ++i) {
      auto row = std::size_t(liveRows[i]);
      Generation& generation = results[rowResult[row]];
      int32_t token = int32_t(next.data_ptr<int64_t>()[i]);
      generation.ids.push_back(token);
      if (options.returnLogprobs)
        generation.logprobs.push_back(chosenLogprobs.data_ptr<float>()[i]);
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
        storeSharedPrefixRows(cache, finishedRows, std::move(finishedTokens), prefixHeads, *store,
                              options.prefixStoreBytes);
      } else {
        storeRows(cache, finishedRows, std::move(finishedTokens), *store, options.prefixStoreBytes);
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
    generateBatch(impl_->module, impl_->device, prompts, first, count, options, stopIds, generators,
                  options.reusePrefixes ? &impl_->prefixStore : nullptr, results);
  }
  return results;
}

}  // namespace astro::model
