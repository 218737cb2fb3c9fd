// Group-relative advantages of GRPO: each completion's reward compared with the other completions
// of the same prompt, (r - mean) / (std + eps), or r - mean when not dividing by the std.
#pragma once

#include <vector>

namespace astro::train {

struct AdvantageOptions {
  bool divideByStd = true;
  double epsilon = 1e-6;
};

// rewards holds consecutive groups of `groupSize`; the std is the population std of the group.
// Throws UsageError when rewards.size() is not a multiple of groupSize.
std::vector<double> groupAdvantages(const std::vector<double>& rewards, int groupSize,
                                    const AdvantageOptions& options = {});

// Fraction of groups whose rewards are all equal (they carry no learning signal).
double zeroVarianceGroupFraction(const std::vector<double>& rewards, int groupSize);

}  // namespace astro::train
