// Stop rules of generation (detail/stop_rules.h).
#include "core/model/detail/stop_rules.h"

#include <algorithm>
#include <string>

namespace astro::model::detail {

bool reachedStopString(std::span<const int32_t> ids, const GenerationOptions& options,
                       std::size_t longestStop) {
  if (options.stopStrings.empty()) return false;
  std::size_t needed = options.decode(ids.last(1)).size() + longestStop - 1 + 3;
  std::size_t window = std::min(ids.size(), longestStop + 3);
  std::string text = options.decode(ids.last(window));
  while (window < ids.size() && text.size() < needed) {
    window = std::min(ids.size(), 2 * window);
    text = options.decode(ids.last(window));
  }
  return std::any_of(options.stopStrings.begin(), options.stopStrings.end(),
                     [&](const std::string& stop) { return text.find(stop) != std::string::npos; });
}

std::optional<FinishReason> finishAfterNewest(const Generation& generation,
                                              const GenerationOptions& options,
                                              const std::vector<int32_t>& stopIds,
                                              std::size_t longestStop, int64_t maxNewTokens) {
  if (std::find(stopIds.begin(), stopIds.end(), generation.ids.back()) != stopIds.end()) {
    return FinishReason::kStopToken;
  }
  if (reachedStopString(generation.ids, options, longestStop)) return FinishReason::kStopString;
  if (int64_t(generation.ids.size()) >= maxNewTokens) return FinishReason::kLength;
  return std::nullopt;
}

}  // namespace astro::model::detail
