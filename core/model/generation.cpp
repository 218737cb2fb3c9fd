// Row seeds and finish-reason names (core/model/generation.h), torch-free so HTTP clients and
// servers use the same derivation as the engine.
#include "core/model/generation.h"

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
