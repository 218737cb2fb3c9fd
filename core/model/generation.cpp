// Row seeds, the sampling-option checks and finish-reason names (core/model/generation.h), torch-free so HTTP clients and
// servers use the same derivation as the engine.
#include "core/model/generation.h"

#include "core/base/error.h"

namespace astro::model {

std::uint64_t rowSeed(std::uint64_t seed, std::uint64_t index) {
  auto splitMix = [](std::uint64_t value) {
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
  };
  return splitMix(seed ^ splitMix(index));
}

std::uint64_t copySeed(std::uint64_t stateSeed, std::uint64_t copy) {
  return rowSeed(stateSeed, 0) + copy;  // wraps modulo 2^64, as the servers' seed + j does
}

void checkSamplingOptions(const GenerationOptions& options) {
  if (options.maxNewTokens < 1) throw UsageError("max new tokens must be at least 1");
  if (options.temperature < 0) throw UsageError("temperature must not be negative");
  if (!(options.topP > 0 && options.topP <= 1)) throw UsageError("top-p must be in (0, 1]");
  if (options.topK < 0) throw UsageError("top-k must not be negative");
}

void checkGenerationRequest(const std::vector<std::vector<int32_t>>& prompts,
                            const GenerationOptions& options) {
  checkSamplingOptions(options);
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty()) throw UsageError("prompt " + std::to_string(i) + " has no tokens");
  }
  if (!options.rowSeeds.empty() && options.rowSeeds.size() != prompts.size()) {
    throw UsageError("rowSeeds has " + std::to_string(options.rowSeeds.size()) + " seeds for " +
                     std::to_string(prompts.size()) + " prompts");
  }
  if (options.rowMaxNewTokens.empty()) return;
  if (options.rowMaxNewTokens.size() != prompts.size()) {
    throw UsageError("rowMaxNewTokens has " + std::to_string(options.rowMaxNewTokens.size()) +
                     " limits for " + std::to_string(prompts.size()) + " prompts");
  }
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    if (options.rowMaxNewTokens[i] < 1) {
      throw UsageError("rowMaxNewTokens[" + std::to_string(i) + "] must be at least 1");
    }
  }
}

std::string finishReasonName(FinishReason reason) {
  switch (reason) {
    case FinishReason::kStopToken:
      return "stop_token";
    case FinishReason::kStopString:
      return "stop_string";
    case FinishReason::kLength:
      return "length";
  }
  return "length";
}

}  // namespace astro::model
