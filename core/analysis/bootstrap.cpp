#include "core/analysis/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/base/error.h"

namespace astro::analysis {

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t SplitMix64::below(std::uint64_t bound) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * bound) >> 64);
}

double quantileOfSorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  double position = q * static_cast<double>(sorted.size() - 1);
  auto below = static_cast<std::size_t>(std::floor(position));
  std::size_t above = std::min(below + 1, sorted.size() - 1);
  double fraction = position - static_cast<double>(below);
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

Interval bootstrapMean(const std::vector<double>& values, const BootstrapOptions& options) {
  if (options.resamples < 1) throw Error("bootstrap: resamples must be at least 1");
  if (!(options.confidence > 0 && options.confidence < 1)) {
    throw Error("bootstrap: confidence must lie in (0, 1)");
  }
  Interval interval;
  if (values.empty()) {
    interval.estimate = interval.low = interval.high = std::numeric_limits<double>::quiet_NaN();
    return interval;
  }
  auto n = static_cast<std::uint64_t>(values.size());
  interval.estimate = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(n);
  SplitMix64 generator(options.seed);
  std::vector<double> means(static_cast<std::size_t>(options.resamples));
  for (double& mean : means) {
    double sum = 0;
    for (std::uint64_t i = 0; i < n; ++i) sum += values[generator.below(n)];
    mean = sum / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  double tail = (1 - options.confidence) / 2;
  interval.low = quantileOfSorted(means, tail);
  interval.high = quantileOfSorted(means, 1 - tail);
  return interval;
}

}  // namespace astro::analysis
