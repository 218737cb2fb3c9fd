// Keeping finished rows of a KV cache in the prefix store (detail/stored_rows.h): generate and the
// continuous-batching engine both store what a finished row computed, so later prompts that
// extend it (MCTS: a child's prompt is its parent's plus one step) prefill only the rest.
#include "core/model/detail/stored_rows.h"

#include <span>

namespace astro::model::detail {

namespace {

// Group `group`'s filled prefix slots as a sequence of `prompt`'s tokens, null when they are not
// the prompt's. Views of the prefix, no copy: each run of adjacent filled slots (a stored prefix,
// then the computed rest after padding) is one link of a chain of sequences.
std::shared_ptr<const StoredSequence> prefixHead(const SharedPrefix& prefix,
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
  std::shared_ptr<const StoredSequence> head;
  int64_t length = 0;
  for (auto [firstSlot, slots] : runs) {
    auto link = std::make_shared<StoredSequence>();
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

}  // namespace

void storeSharedPrefixRows(const KvCache& cache, const std::vector<int64_t>& rows,
                           std::vector<std::vector<int32_t>> tokens, PrefixHeads& heads,
                           PrefixStore& store, int64_t budgetBytes) {
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
    StoredSequence sequence;
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

void storeRows(const KvCache& cache, const std::vector<int64_t>& rows,
               std::vector<std::vector<int32_t>> tokens, PrefixStore& store,
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
    StoredSequence sequence;
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

}  // namespace astro::model::detail
