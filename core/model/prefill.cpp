// Prefill for batched generation (detail/prefill.h): distinct prompts, longest first, in runs of
// similar length; each run fills its rows of one shared cache through a view, right-aligned so
// that every prompt ends at the same slot and one decode step serves all rows.
#include "core/model/detail/prefill.h"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "core/model/detail/language_model_impl.h"

namespace astro::model::detail {

namespace {

std::string_view bytesOf(const std::vector<int32_t>& ids) {
  return {reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(int32_t)};
}

int64_t lengthOf(const std::vector<int32_t>* prompt) { return int64_t(prompt->size()); }

// One forward pass over prompts [first, first + rows) of `distinct` (left-padded to the longest
// of them) into `part`, a view of the batch cache. Returns their logits [rows, vocab].
torch::Tensor prefillRun(LlamaModel& module, const torch::Device& device,
                         const std::vector<const std::vector<int32_t>*>& distinct,
                         std::size_t first, std::size_t rows, KvCache& part) {
  int64_t longest = lengthOf(distinct[first]);
  auto ids = torch::zeros({int64_t(rows), longest}, torch::kLong);
  auto valid = torch::zeros({int64_t(rows), longest}, torch::kBool);
  auto positions = torch::zeros({int64_t(rows), longest}, torch::kLong);
  for (std::size_t row = 0; row < rows; ++row) {
    const auto& prompt = *distinct[first + row];
    int64_t length = int64_t(prompt.size()), pad = longest - length;
    auto r = int64_t(row);
    ids[r].narrow(0, pad, length).copy_(idsToTensor(prompt, module->config().vocabSize));
    valid[r].narrow(0, pad, length).fill_(true);
    positions[r].narrow(0, pad, length).copy_(torch::arange(length, torch::kLong));
  }
  ForwardInput input = ForwardInput::of(ids.to(device), positions.to(device));
  input.tokenValid = valid.to(device);
  input.lastPositionOnly = true;
  return module->forward(input, &part).select(1, 0);  // [rows, V]
}

}  // namespace

Prefill prefillPrompts(LlamaModel& module, const torch::Device& device,
                       const std::vector<const std::vector<int32_t>*>& prompts,
                       const PrefillOptions& options) {
  // Distinct prompts and, per prompt, which distinct one it is.
  std::vector<const std::vector<int32_t>*> distinct;
  std::vector<std::size_t> distinctOf(prompts.size());
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    auto [it, added] = seen.try_emplace(bytesOf(*prompts[i]), distinct.size());
    if (added || !options.sharePrompts) {
      it->second = distinct.size();
      distinct.push_back(prompts[i]);
    }
    distinctOf[i] = it->second;
  }
  // Longest first (ties in prompt order), so each run takes neighbours of similar length.
  std::vector<std::size_t> order(distinct.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return lengthOf(distinct[a]) > lengthOf(distinct[b]);
  });
  std::vector<const std::vector<int32_t>*> sorted;
  std::vector<int64_t> sortedPosition(distinct.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    sorted.push_back(distinct[order[i]]);
    sortedPosition[order[i]] = int64_t(i);
  }

  int64_t longest = lengthOf(sorted.front());
  Prefill prefill;
  prefill.cache = KvCache::allocate(module->config(), int64_t(sorted.size()), options.capacity,
                                    module->outputEmbedding().options());
  std::vector<torch::Tensor> logits;
  for (std::size_t first = 0; first < sorted.size();) {
    int64_t runLongest = lengthOf(sorted[first]);
    std::size_t end = first + 1;
    while (end < sorted.size() &&
           double(lengthOf(sorted[end])) >= options.lengthRatio * double(runLongest) &&
           int64_t(end - first + 1) * runLongest <= options.maxChunkTokens) {
      ++end;
    }
    int64_t rows = int64_t(end - first), padSlots = longest - runLongest;
    if (padSlots > 0) {
      // Slots left of this run's prompts are masked, but masked scores still multiply their
      // values: they must hold numbers, not whatever the allocation left there.
      for (auto* tensors : {&prefill.cache.keys, &prefill.cache.values}) {
        for (auto& tensor : *tensors)
          tensor.narrow(0, int64_t(first), rows).narrow(2, 0, padSlots).zero_();
      }
    }
    KvCache part = prefill.cache.view(int64_t(first), rows, padSlots);
    logits.push_back(prefillRun(module, device, sorted, first, end - first, part));
    first = end;
  }
  prefill.cache.length = longest;
  prefill.logits = logits.size() == 1 ? logits.front() : torch::cat(logits, 0);

  // One cache row per prompt, in prompt order: rows that share a prompt get copies of its keys
  // and values (each then decodes into its own slots).
  std::vector<int64_t> rows(prompts.size());
  bool identity = true;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    rows[i] = sortedPosition[distinctOf[i]];
    identity = identity && rows[i] == int64_t(i);
  }
  if (!identity) {
    auto rowIndex = torch::tensor(rows, torch::kLong).to(device);
    prefill.cache.keepRows(rowIndex);
    prefill.logits = prefill.logits.index_select(0, rowIndex);
  }
  return prefill;
}

}  // namespace astro::model::detail
