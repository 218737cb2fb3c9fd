// Correlation coefficients with their 95% intervals and p-values: Pearson (Fisher z interval,
// t-test p with n-2 df), Spearman (Pearson on average ranks) and point-biserial (Pearson with a
// 0/1 variable). Formulas match scipy.stats; tests/reference/statistics_reference.py checks them.
#pragma once

#include <cstddef>
#include <vector>

namespace astro::analysis {

struct Correlation {
  std::size_t n = 0;
  double r = 0.0;      // NaN when n < 2 or a variable is constant
  double ciLow = 0.0;  // Fisher z interval; NaN when n < 4 (the standard error needs n - 3 > 0)
  double ciHigh = 0.0;
  double pValue = 0.0;  // two-sided, H0: r = 0; NaN when n < 3
};

// Fisher z interval of a coefficient r from n pairs at `confidence` (e.g. 0.95).
void fisherInterval(double r, std::size_t n, double confidence, double* low, double* high);

// x and y must have the same length (throws astro::Error otherwise).
Correlation pearson(const std::vector<double>& x, const std::vector<double>& y,
                    double confidence = 0.95);
Correlation spearman(const std::vector<double>& x, const std::vector<double>& y,
                     double confidence = 0.95);
Correlation pointBiserial(const std::vector<double>& values, const std::vector<bool>& flags,
                          double confidence = 0.95);

// Average ranks (1-based, ties share the mean of their positions), as scipy.stats.rankdata.
std::vector<double> averageRanks(const std::vector<double>& values);

// Quantile of the standard normal distribution (Acklam's rational approximation refined by one
// Halley step; |error| < 1e-12 for 1e-300 < p < 1).
double normalQuantile(double p);

}  // namespace astro::analysis
