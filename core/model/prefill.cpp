// Prefill for batched generation (detail/prefill.h): distinct prompts, the longest suffix after a
// stored prefix first, in runs of similar length; each run fills its rows of one shared cache
// through a view, right-aligned so that every prompt ends at the same slot and one decode step
// serves all rows. Padding can sit between a stored prefix and the suffix: attention goes by the
// key bias and the rotary positions, not by slot adjacency.
#include "core/model/detail/prefill.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <numeric>
#include <span>
#include <string_view>
#include <unordered_map>

#include "core/model/detail/language_model_impl.h"
#include "core/model/detail/prefix_store.h"

namespace astro::model::detail {

namespace {

std::string_view bytesOf(const std::vector<int32_t>& ids) {
  return {reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(int32_t)};
}

// A distinct prompt: its tokens, the stored prefix it starts with (if any), and the tokens after
// that prefix, which the forward pass computes.
struct PromptPlan {
  const std::vector<int32_t>* tokens;
  PrefixMatch stored;
  int64_t suffix() const { return int64_t(tokens->size()) - stored.length; }
};

// Zeroes slots [0, count) of cache row `row` ([rows, kvHeads, slots, dim]): a memset per kv head
// where the slots are contiguous floats, instead of three tensor ops per layer and row.
void zeroSlots(const torch::Tensor& cache, int64_t row, int64_t count) {
  const int64_t dim = cache.size(3);
  if (cache.scalar_type() != torch::kFloat32 || !cache.device().is_cpu() || cache.stride(3) != 1 ||
      cache.stride(2) != dim) {
    cache[row].narrow(1, 0, count).zero_();
    return;
  }
  float* data = cache.data_ptr<float>() + row * cache.stride(0);
  for (int64_t head = 0; head < cache.size(1); ++head) {
    std::fill_n(data + head * cache.stride(1), count * dim, 0.0f);
  }
}

// One forward pass over plans [first, first + rows): the suffixes, left-padded to the longest of
// them, into `part` (a view of the batch cache whose first `part.length` slots hold the stored
// prefixes, right-aligned). Returns their logits [rows, vocab].
torch::Tensor prefillRun(LlamaModel& module, const torch::Device& device,
                         const std::vector<PromptPlan>& plans, std::size_t first, std::size_t rows,
                         KvCache& part) {
  int64_t longest = plans[first].suffix(), prefixSlots = part.length;
  auto ids = torch::zeros({int64_t(rows), longest}, torch::kLong);
  auto valid = torch::zeros({int64_t(rows), longest}, torch::kBool);
  auto positions = torch::zeros({int64_t(rows), longest}, torch::kLong);
  for (std::size_t row = 0; row < rows; ++row) {
    const PromptPlan& plan = plans[first + row];
    auto r = int64_t(row);
    int64_t stored = plan.stored.length, length = plan.suffix(), pad = longest - length;
    auto suffix = std::span(*plan.tokens).subspan(std::size_t(stored));
    ids[r].narrow(0, pad, length).copy_(idsToTensor(suffix, module->config().vocabSize));
    valid[r].narrow(0, pad, length).fill_(true);
    positions[r].narrow(0, pad, length).copy_(torch::arange(stored, stored + length, torch::kLong));
    if (int64_t gap = prefixSlots - stored; gap > 0) {
      for (auto* tensors : {&part.keys, &part.values}) {
        for (auto& tensor : *tensors) zeroSlots(tensor, r, gap);
      }
    }
    if (stored > 0) {
      const StoredSequence& sequence = *plan.stored.sequence;
      for (std::size_t layer = 0; layer < part.keys.size(); ++layer) {
        // Row r's slots from prefixSlots - stored on, as [token, kv head, dim].
        auto slots = [&](const torch::Tensor& cache) {
          return TokenSlots{cache.data_ptr<float>() + r * cache.stride(0) +
                                (prefixSlots - stored) * cache.stride(2),
                            cache.stride(2), cache.stride(1)};
        };
        const torch::Tensor &keys = part.keys[layer], &values = part.values[layer];
        const bool raw = keys.scalar_type() == torch::kFloat32 && keys.device().is_cpu() &&
                         keys.stride(3) == 1 && values.stride(3) == 1 &&
                         copyTokens(sequence, layer, stored, slots(keys), slots(values));
        if (!raw) {
          sequence.copyTo(layer, stored,
                          keys[r].narrow(1, prefixSlots - stored, stored).transpose(0, 1),
                          values[r].narrow(1, prefixSlots - stored, stored).transpose(0, 1));
        }
      }
      part.keyBias[r].narrow(0, prefixSlots - stored, stored).fill_(0.0f);
    }
  }
  ForwardInput input = ForwardInput::of(ids.to(device), positions.to(device));
  input.tokenValid = valid.to(device);
  input.lastPositionOnly = true;
  return module->forward(input, &part).select(1, 0);  // [rows, V]
}

// A cache whose rows read `distinct` (the prefilled prompts, filled to its capacity) as their
// shared prefix, row r from group rowGroups[r], with `newTokens` own slots each.
KvCache sharedPrefixCache(KvCache distinct, std::vector<int64_t> rowGroups, int64_t newTokens) {
  auto prefix = std::make_shared<SharedPrefix>();
  prefix->keys = std::move(distinct.keys);
  prefix->values = std::move(distinct.values);
  prefix->keyBias = std::move(distinct.keyBias);
  KvCache cache;
  auto rows = int64_t(rowGroups.size());
  for (const auto& tensor : prefix->keys) {
    cache.keys.push_back(
        torch::empty({rows, tensor.size(1), newTokens, tensor.size(3)}, tensor.options()));
    cache.values.push_back(torch::empty_like(cache.keys.back()));
  }
  cache.keyBias = torch::full({rows, prefix->slots() + newTokens},
                              std::numeric_limits<float>::lowest(), prefix->keyBias.options());
  cache.length = prefix->slots();
  cache.prefix = std::move(prefix);
  cache.prefixGroup = std::move(rowGroups);
  return cache;
}

}  // namespace

Prefill prefillPrompts(LlamaModel& module, const torch::Device& device,
                       const std::vector<const std::vector<int32_t>*>& prompts,
                       const PrefillOptions& options) {
  // Distinct prompts and, per prompt, which distinct one it is.
  std::vector<PromptPlan> plans;
  std::vector<std::size_t> distinctOf(prompts.size());
  std::unordered_map<std::string_view, std::size_t> seen;
  int64_t storedTokens = 0;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    auto [it, added] = seen.try_emplace(bytesOf(*prompts[i]), plans.size());
    if (added || !options.sharePrompts) {
      it->second = plans.size();
      plans.push_back({prompts[i], {}});
    }
    distinctOf[i] = it->second;
  }
  if (options.store) {
    // At least the last token goes through the model: its logits start the generation.
    for (PromptPlan& plan : plans) {
      plan.stored = options.store->longestMatch(*plan.tokens, int64_t(plan.tokens->size()) - 1);
      storedTokens += plan.stored.length;
    }
  }
  // Longest suffix first (ties in prompt order), so each run takes neighbours of similar length.
  std::vector<std::size_t> order(plans.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return plans[a].suffix() > plans[b].suffix();
  });
  std::vector<PromptPlan> sorted;
  std::vector<int64_t> sortedPosition(plans.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    sorted.push_back(plans[order[i]]);
    sortedPosition[order[i]] = int64_t(i);
  }

  // Runs of similar suffix length; each run's slots: padding, stored prefixes (right-aligned at
  // the run's longest stored prefix), suffixes (left-padded), ending at the same slot for all.
  struct Run {
    std::size_t first, end;
    int64_t prefixSlots, suffixSlots;
  };
  std::vector<Run> runs;
  int64_t filled = 0;  // slots up to the end of the prompts, the same for every row
  for (std::size_t first = 0; first < sorted.size();) {
    Run run{first, first + 1, sorted[first].stored.length, sorted[first].suffix()};
    while (run.end < sorted.size() &&
           double(sorted[run.end].suffix()) >= options.lengthRatio * double(run.suffixSlots) &&
           int64_t(run.end - first + 1) * run.suffixSlots <= options.maxChunkTokens) {
      run.prefixSlots = std::max(run.prefixSlots, sorted[run.end].stored.length);
      ++run.end;
    }
    filled = std::max(filled, run.prefixSlots + run.suffixSlots);
    runs.push_back(run);
    first = run.end;
  }

  Prefill prefill;
  prefill.storedTokens = storedTokens;
  // With a shared prefix the distinct prompts' cache is the prefix: it needs no free slots.
  prefill.cache = KvCache::allocate(module->config(), int64_t(sorted.size()),
                                    filled + (options.sharePrefix ? 0 : options.newTokens),
                                    module->outputEmbedding().options());
  std::vector<torch::Tensor> logits;
  for (const Run& run : runs) {
    int64_t rows = int64_t(run.end - run.first);
    int64_t firstSlot = filled - run.suffixSlots - run.prefixSlots;
    // Slots before the suffixes that no stored prefix fills are masked, but masked scores still
    // multiply their values: they must hold numbers, not what the allocation left there. Here
    // the slots before the run's; prefillRun zeroes each row's gap before its stored prefix.
    if (firstSlot > 0) {
      for (auto* tensors : {&prefill.cache.keys, &prefill.cache.values}) {
        for (auto& tensor : *tensors) {
          tensor.narrow(0, int64_t(run.first), rows).narrow(2, 0, firstSlot).zero_();
        }
      }
    }
    KvCache part = prefill.cache.view(int64_t(run.first), rows, firstSlot);
    part.length = run.prefixSlots;
    logits.push_back(prefillRun(module, device, sorted, run.first, std::size_t(rows), part));
  }
  prefill.cache.length = filled;
  prefill.logits = logits.size() == 1 ? logits.front() : torch::cat(logits, 0);

  // One cache row per prompt, in prompt order: rows that share a prompt get copies of its keys
  // and values (each then decodes into its own slots).
  std::vector<int64_t> rows(prompts.size());
  bool identity = true;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    rows[i] = sortedPosition[distinctOf[i]];
    identity = identity && rows[i] == int64_t(i);
  }
  if (options.sharePrefix) {
    prefill.cache = sharedPrefixCache(std::move(prefill.cache), std::move(rows), options.newTokens);
    if (!identity) {
      prefill.logits = prefill.logits.index_select(
          0, torch::tensor(prefill.cache.prefixGroup, torch::kLong).to(device));
    }
    return prefill;
  }
  if (!identity) {
    auto rowIndex = torch::tensor(rows, torch::kLong).to(device);
    prefill.cache.keepRows(rowIndex);
    prefill.logits = prefill.logits.index_select(0, rowIndex);
  }
  return prefill;
}

}  // namespace astro::model::detail
