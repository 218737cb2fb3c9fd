#include "core/train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/base/error.h"

namespace astro::train {

DecayKind parseDecayKind(const std::string& name) {
  if (name == "constant") return DecayKind::Constant;
  if (name == "cosine") return DecayKind::Cosine;
  throw UsageError("unknown learning-rate schedule '" + name + "' (expected constant or cosine)");
}

std::string decayKindName(DecayKind kind) {
  return kind == DecayKind::Constant ? "constant" : "cosine";
}

double LrSchedule::at(int step) const {
  if (step < warmupSteps) return peakLearningRate * double(step + 1) / double(warmupSteps);
  if (decay == DecayKind::Constant) return peakLearningRate;
  int decaySteps = std::max(1, totalSteps - warmupSteps);
  double progress = std::clamp(double(step - warmupSteps) / double(decaySteps), 0.0, 1.0);
  double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
  return peakLearningRate * (finalRatio + (1.0 - finalRatio) * cosine);
}

}  // namespace astro::train
