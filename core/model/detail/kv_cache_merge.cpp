// KV cache joining for continuous batching (detail/kv_cache_merge.h): find the span of slots the
// kept rows of each cache use, allocate the joined cache, and copy each span right-aligned.
#include "core/model/detail/kv_cache_merge.h"

#include <algorithm>
#include <limits>

#include "core/base/error.h"

namespace astro::model::detail {

namespace {

// The rows of one cache that go into the joined one, and the filled slots they span.
struct Source {
  const KvCache* cache = nullptr;
  torch::Tensor rows;  // int64 on the cache's device, or undefined for all rows in order
  int64_t rowCount = 0;
  int64_t firstSlot = 0;  // the first slot any kept row fills; the span ends at cache->length

  int64_t span() const { return cache->length - firstSlot; }
  torch::Tensor select(const torch::Tensor& tensor) const {
    return rows.defined() ? tensor.index_select(0, rows) : tensor;
  }
};

// The first slot that any of `source`'s rows fills (key bias 0), or its length when none does.
int64_t firstFilledSlot(const Source& source) {
  const KvCache& cache = *source.cache;
  if (source.rowCount == 0 || cache.length == 0) return cache.length;
  auto filled = source.select(cache.keyBias.narrow(1, 0, cache.length)).eq(0.0f);  // [rows, L]
  auto anyRowFilled = filled.any(0);                                               // [L]
  if (!anyRowFilled.any().item<bool>()) return cache.length;
  // argmax of a 0/1 vector is its first 1.
  return anyRowFilled.to(torch::kInt).argmax().item<int64_t>();
}

// Copies `source`'s span into rows [firstRow, firstRow + rowCount) of `merged`, ending at
// merged.length.
void copySpan(const Source& source, KvCache& merged, int64_t firstRow) {
  if (source.rowCount == 0 || source.span() == 0) return;
  const KvCache& cache = *source.cache;
  int64_t span = source.span(), to = merged.length - span;
  for (std::size_t layer = 0; layer < merged.keys.size(); ++layer) {
    merged.keys[layer]
        .narrow(0, firstRow, source.rowCount)
        .narrow(2, to, span)
        .copy_(source.select(cache.keys[layer].narrow(2, source.firstSlot, span)));
    merged.values[layer]
        .narrow(0, firstRow, source.rowCount)
        .narrow(2, to, span)
        .copy_(source.select(cache.values[layer].narrow(2, source.firstSlot, span)));
  }
  merged.keyBias.narrow(0, firstRow, source.rowCount)
      .narrow(1, to, span)
      .copy_(source.select(cache.keyBias.narrow(1, source.firstSlot, span)));
}

}  // namespace

KvCache mergeKvCaches(const KvCache& running, const std::vector<int64_t>& runningRows,
                      const KvCache& joining, int64_t freeSlots) {
  if (running.prefixSlots() > 0 || joining.prefixSlots() > 0) {
    throw Error(
        "mergeKvCaches: a cache with a shared prefix cannot be merged (prefill without "
        "PrefillOptions::sharePrefix)");
  }
  bool hasRunning = running.keyBias.defined() && !runningRows.empty();
  bool hasJoining = joining.keyBias.defined() && joining.batch() > 0;
  if (!hasRunning && !hasJoining) return {};
  const KvCache& shape = hasJoining ? joining : running;  // layers, heads, dtype, device

  Source old{&running}, fresh{&joining};
  if (hasRunning) {
    old.rowCount = int64_t(runningRows.size());
    bool allInOrder = old.rowCount == running.batch();
    for (int64_t i = 0; allInOrder && i < old.rowCount; ++i) {
      allInOrder = runningRows[std::size_t(i)] == i;
    }
    if (!allInOrder) {
      old.rows = torch::tensor(runningRows, torch::kLong).to(running.keyBias.device());
    }
    old.firstSlot = firstFilledSlot(old);
  }
  if (hasJoining) {
    fresh.rowCount = joining.batch();
    fresh.firstSlot = firstFilledSlot(fresh);
  }

  KvCache merged;
  merged.length = std::max(hasRunning ? old.span() : 0, hasJoining ? fresh.span() : 0);
  int64_t rows = old.rowCount + fresh.rowCount, capacity = merged.length + freeSlots;
  for (std::size_t layer = 0; layer < shape.keys.size(); ++layer) {
    auto sizes = shape.keys[layer].sizes().vec();  // [batch, kvHeads, capacity, headDim]
    sizes[0] = rows;
    sizes[2] = capacity;
    merged.keys.push_back(torch::empty(sizes, shape.keys[layer].options()));
    merged.values.push_back(torch::empty(sizes, shape.values[layer].options()));
    // Only slots before the length are read; the spans copied below overwrite part of this.
    merged.keys.back().narrow(2, 0, merged.length).zero_();
    merged.values.back().narrow(2, 0, merged.length).zero_();
  }
  merged.keyBias =
      torch::full({rows, capacity}, std::numeric_limits<float>::lowest(), shape.keyBias.options());
  copySpan(old, merged, 0);
  copySpan(fresh, merged, old.rowCount);
  return merged;
}

KvCache withoutSharedPrefix(const KvCache& cache) {
  if (!cache.prefix) return cache;
  const SharedPrefix& prefix = *cache.prefix;
  auto groups = torch::tensor(cache.prefixGroup, torch::kLong).to(cache.keyBias.device());
  KvCache flat;
  flat.length = cache.length;
  for (std::size_t layer = 0; layer < cache.keys.size(); ++layer) {
    flat.keys.push_back(torch::cat({prefix.keys[layer].index_select(0, groups), cache.keys[layer]}, 2));
    flat.values.push_back(
        torch::cat({prefix.values[layer].index_select(0, groups), cache.values[layer]}, 2));
  }
  flat.keyBias = cache.keyBias.clone();
  flat.keyBias.narrow(1, 0, prefix.slots()).copy_(prefix.keyBias.index_select(0, groups));
  return flat;
}

}  // namespace astro::model::detail
