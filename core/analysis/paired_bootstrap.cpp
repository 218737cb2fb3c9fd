// pairedBootstrapDifference and seedPuzzleBootstrapMean (paired_bootstrap.h).
#include "core/analysis/paired_bootstrap.h"

#include <algorithm>
#include <string>

#include "core/base/error.h"

namespace astro::analysis {

PairedDifference pairedBootstrapDifference(const std::vector<PairedScores>& seeds,
                                           const BootstrapOptions& options) {
  if (seeds.empty()) throw Error("paired bootstrap: no seed to compare");
  if (options.resamples < 1) throw Error("paired bootstrap: resamples must be at least 1");
  if (!(options.confidence > 0 && options.confidence < 1)) {
    throw Error("paired bootstrap: confidence must lie in (0, 1)");
  }
  // Only the differences matter once the pairing is kept: resampling puzzle i takes a[i] - b[i].
  std::vector<std::vector<double>> differences(seeds.size());
  PairedDifference result;
  result.seeds = static_cast<int>(seeds.size());
  double estimate = 0;
  for (std::size_t s = 0; s < seeds.size(); ++s) {
    const PairedScores& seed = seeds[s];
    if (seed.a.size() != seed.b.size()) {
      throw Error("paired bootstrap: seed " + std::to_string(s + 1) + " has " +
                  std::to_string(seed.a.size()) + " scores for one arm and " +
                  std::to_string(seed.b.size()) + " for the other; they must pair puzzle by puzzle");
    }
    if (seed.a.empty()) {
      throw Error("paired bootstrap: seed " + std::to_string(s + 1) + " has no puzzle");
    }
    double sum = 0;
    for (std::size_t i = 0; i < seed.a.size(); ++i) {
      differences[s].push_back(seed.a[i] - seed.b[i]);
      sum += differences[s].back();
    }
    estimate += sum / static_cast<double>(seed.a.size());
    result.puzzles += static_cast<int>(seed.a.size());
  }
  result.difference.estimate = estimate / static_cast<double>(seeds.size());

  SplitMix64 generator(options.seed);
  const auto seedCount = static_cast<std::uint64_t>(seeds.size());
  std::vector<double> statistics(static_cast<std::size_t>(options.resamples));
  int atOrBelowZero = 0;
  for (double& statistic : statistics) {
    double total = 0;
    for (std::uint64_t draw = 0; draw < seedCount; ++draw) {
      const std::vector<double>& seed = differences[generator.below(seedCount)];
      const auto n = static_cast<std::uint64_t>(seed.size());
      double sum = 0;
      for (std::uint64_t i = 0; i < n; ++i) sum += seed[generator.below(n)];
      total += sum / static_cast<double>(n);
    }
    statistic = total / static_cast<double>(seedCount);
    if (statistic <= 0) ++atOrBelowZero;
  }
  std::sort(statistics.begin(), statistics.end());
  const double tail = (1 - options.confidence) / 2;
  result.difference.low = quantileOfSorted(statistics, tail);
  result.difference.high = quantileOfSorted(statistics, 1 - tail);
  result.shareAtOrBelowZero = static_cast<double>(atOrBelowZero) / options.resamples;
  return result;
}

Interval seedPuzzleBootstrapMean(const std::vector<std::vector<double>>& seeds,
                                 const BootstrapOptions& options) {
  std::vector<PairedScores> paired;
  for (const std::vector<double>& scores : seeds) {
    paired.push_back({scores, std::vector<double>(scores.size(), 0.0)});
  }
  return pairedBootstrapDifference(paired, options).difference;
}

}  // namespace astro::analysis
