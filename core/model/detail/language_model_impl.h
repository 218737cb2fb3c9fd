// What a LanguageModel holds, for torch code inside core (trainers, generate.cpp): the module, the
// device it lives on, and the keys and values of recent generations.
#pragma once

#include "core/model/detail/llama_module.h"
#include "core/model/detail/prefix_store.h"
#include "core/model/language_model.h"

namespace astro::model {

struct LanguageModel::Impl {
  detail::LlamaModel module{nullptr};
  torch::Device device{torch::kCPU};
  detail::PrefixStore prefixStore;  // used by generate() with GenerationOptions::reusePrefixes
};

namespace detail {
// Checks ids against the vocabulary; throws UsageError naming the position of a bad id.
torch::Tensor idsToTensor(std::span<const int32_t> ids, int64_t vocabSize);
}  // namespace detail

}  // namespace astro::model
