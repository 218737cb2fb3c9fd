// When a generated sequence ends: a stop id, a stop string in its text, or its token limit.
// Shared by LanguageModel::generate (generate.cpp) and the continuous-batching DecodeEngine
// (decode_engine.cpp), so a request stops at the same token in both. Torch-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/model/generation.h"

namespace astro::model::detail {

// Whether the generation's text now holds a stop string. Earlier tokens were checked when they
// came, so a new occurrence ends in the newest token's text and starts at most `longestStop` - 1
// bytes before it: only a tail covering those bytes is decoded (3 more for a tail that starts
// inside a UTF-8 character), grown when tokens decode to little text, instead of the whole
// generation per token.
bool reachedStopString(std::span<const int32_t> ids, const GenerationOptions& options,
                       std::size_t longestStop);

// Why `generation` ends with its newest token, or nothing when it goes on.
std::optional<FinishReason> finishAfterNewest(const Generation& generation,
                                              const GenerationOptions& options,
                                              const std::vector<int32_t>& stopIds,
                                              std::size_t longestStop, int64_t maxNewTokens);

}  // namespace astro::model::detail
