#include "core/train/grpo_advantages.h"

#include <cmath>
#include <string>

#include "core/base/error.h"

namespace astro::train {

namespace {
void checkShape(const std::vector<double>& rewards, int groupSize) {
  if (groupSize < 1 || rewards.size() % std::size_t(groupSize) != 0) {
    throw UsageError("GRPO: " + std::to_string(rewards.size()) +
                     " rewards do not form groups of " + std::to_string(groupSize));
  }
}
}  // namespace

std::vector<double> groupAdvantages(const std::vector<double>& rewards, int groupSize,
                                    const AdvantageOptions& options) {
  checkShape(rewards, groupSize);
  std::vector<double> advantages(rewards.size());
  for (std::size_t first = 0; first < rewards.size(); first += std::size_t(groupSize)) {
    double mean = 0;
    for (int i = 0; i < groupSize; ++i) mean += rewards[first + std::size_t(i)];
    mean /= groupSize;
    double variance = 0;
    for (int i = 0; i < groupSize; ++i) {
      double d = rewards[first + std::size_t(i)] - mean;
      variance += d * d;
    }
    double scale = options.divideByStd ? std::sqrt(variance / groupSize) + options.epsilon : 1.0;
    for (int i = 0; i < groupSize; ++i) {
      advantages[first + std::size_t(i)] = (rewards[first + std::size_t(i)] - mean) / scale;
    }
  }
  return advantages;
}

double zeroVarianceGroupFraction(const std::vector<double>& rewards, int groupSize) {
  checkShape(rewards, groupSize);
  std::size_t groups = rewards.size() / std::size_t(groupSize);
  if (groups == 0) return 0;
  std::size_t flat = 0;
  for (std::size_t first = 0; first < rewards.size(); first += std::size_t(groupSize)) {
    bool same = true;
    for (int i = 1; i < groupSize; ++i) same = same && rewards[first + std::size_t(i)] == rewards[first];
    flat += same ? 1 : 0;
  }
  return double(flat) / double(groups);
}

}  // namespace astro::train
