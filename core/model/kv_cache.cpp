// KvCache (detail/kv_cache.h): allocation, dropping and repeating rows, and views for prefill.
#include "core/model/detail/kv_cache.h"

#include <limits>

#include "core/base/error.h"

namespace astro::model::detail {

KvCache KvCache::allocate(const ModelConfig& config, int64_t batch, int64_t capacity,
                          const torch::TensorOptions& options) {
  KvCache cache;
  for (int64_t layer = 0; layer < config.numHiddenLayers; ++layer) {
    cache.keys.push_back(
        torch::empty({batch, config.numKeyValueHeads, capacity, config.headDim}, options));
    cache.values.push_back(
        torch::empty({batch, config.numKeyValueHeads, capacity, config.headDim}, options));
  }
  cache.keyBias = torch::full({batch, capacity}, std::numeric_limits<float>::lowest(),
                              options.dtype(torch::kFloat32));
  return cache;
}

void KvCache::keepRows(const torch::Tensor& rows) {
  if (prefix) {
    auto rowsOnCpu = rows.to(torch::kCPU, torch::kLong).contiguous();
    std::vector<int64_t> groups;
    groups.reserve(std::size_t(rowsOnCpu.numel()));
    for (int64_t i = 0; i < rowsOnCpu.numel(); ++i) {
      groups.push_back(prefixGroup.at(std::size_t(rowsOnCpu.data_ptr<int64_t>()[i])));
    }
    prefixGroup = std::move(groups);
  }
  // Only the filled slots move: the rest is written before it is read.
  int64_t filled = length - prefixSlots();
  auto select = [&](torch::Tensor& tensor) {
    if (filled == tensor.size(2)) {
      tensor = tensor.index_select(0, rows);
      return;
    }
    auto sizes = tensor.sizes().vec();
    sizes[0] = rows.numel();
    auto kept = torch::empty(sizes, tensor.options());
    if (filled > 0) {
      auto filledSlots = kept.narrow(2, 0, filled);
      torch::index_select_out(filledSlots, tensor.narrow(2, 0, filled), 0, rows);
    }
    tensor = kept;
  };
  for (auto& tensor : keys) select(tensor);
  for (auto& tensor : values) select(tensor);
  keyBias = keyBias.index_select(0, rows);
}

KvCache KvCache::view(int64_t firstRow, int64_t rows, int64_t firstSlot) const {
  if (prefix) throw Error("KvCache::view: a cache with a shared prefix has no slot views");
  int64_t slots = capacity() - firstSlot;
  KvCache part;
  for (const auto& tensor : keys) {
    part.keys.push_back(tensor.narrow(0, firstRow, rows).narrow(2, firstSlot, slots));
  }
  for (const auto& tensor : values) {
    part.values.push_back(tensor.narrow(0, firstRow, rows).narrow(2, firstSlot, slots));
  }
  part.keyBias = keyBias.narrow(0, firstRow, rows).narrow(1, firstSlot, slots);
  return part;
}

}  // namespace astro::model::detail
