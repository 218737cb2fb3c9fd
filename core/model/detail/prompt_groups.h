// Which sub-batch each prompt of a batch goes to (LanguageModel::generate's split and the
// DecodeEngine's admission): rows with identical prompts stay together, since they prefill once
// and share their keys and values, and each group, largest first, goes to the sub-batch with the
// fewest rows, counting those it already holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace astro::model::detail {

// load[p]: the rows sub-batch p holds already (its size is the number of sub-batches, >= 1).
// Returns, per prompt, its sub-batch.
std::vector<std::size_t> assignPromptGroups(const std::vector<std::span<const int32_t>>& prompts,
                                            std::vector<int64_t> load);

// How many distinct prompts `prompts` holds.
std::size_t distinctPrompts(const std::vector<std::span<const int32_t>>& prompts);

}  // namespace astro::model::detail
