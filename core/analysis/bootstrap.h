// Seeded percentile bootstrap over problems: the 95% intervals of accuracy, mean backtracks and
// mean length. The generator is the project's own (splitmix64), so the same seed gives the same
// interval on every platform and standard library.
#pragma once

#include <cstdint>
#include <vector>

namespace astro::analysis {

struct BootstrapOptions {
  int resamples = 2000;
  std::uint64_t seed = 20250701;  // fixed so reports are reproducible
  double confidence = 0.95;
};

struct Interval {
  double estimate = 0.0;  // the statistic on the original data (the mean)
  double low = 0.0;
  double high = 0.0;
};

// Interval of the mean of `values` (one value per problem). Empty input gives NaNs.
Interval bootstrapMean(const std::vector<double>& values, const BootstrapOptions& options = {});

// Linear-interpolation quantile of sorted data (numpy's default method), q in [0, 1].
double quantileOfSorted(const std::vector<double>& sorted, double q);

// splitmix64: small, fast and fully specified, so resampling is reproducible anywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform integer in [0, bound) by Lemire's multiply-shift (bias < bound / 2^64, negligible).
  std::uint64_t below(std::uint64_t bound);

 private:
  std::uint64_t state_;
};

}  // namespace astro::analysis
