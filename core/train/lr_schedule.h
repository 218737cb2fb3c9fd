// Learning-rate schedules shared by SFT and GRPO: linear warm-up, then cosine decay or constant.
#pragma once

#include <string>

namespace astro::train {

enum class DecayKind { Constant, Cosine };

DecayKind parseDecayKind(const std::string& name);  // "constant" | "cosine"; throws UsageError
std::string decayKindName(DecayKind kind);

struct LrSchedule {
  double peakLearningRate = 3e-6;  // ASTRO SFT (Llama-3.1-70B): lr 3e-6 (paper, SFT setup)
  int warmupSteps = 0;
  int totalSteps = 1;
  DecayKind decay = DecayKind::Cosine;
  double finalRatio = 0.0;  // cosine ends at peak * finalRatio

  // Learning rate for optimizer step `step` (0-based). Warm-up rises linearly from peak/warmup
  // to peak over warmupSteps steps, so step 0 never trains at exactly zero.
  double at(int step) const;
};

}  // namespace astro::train
