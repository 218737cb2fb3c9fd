// Correlation after removing a common trend: Pearson's r of the residuals of x and of y, each
// regressed by least squares on `trend` (a first-order partial correlation). Across the
// checkpoints of one training run, backtracks and accuracy can both rise with the training step
// without one having anything to do with the other; issue #21 asks for the correlation with the
// step's trend taken out beside the raw one.
//
// Formulas as pingouin.partial_corr (method "pearson", one covariate): the t test has n - 3
// degrees of freedom and the Fisher z interval a standard error of 1 / sqrt(n - 4).
// tests/reference/statistics_reference.py computes the reference values with numpy and scipy.
#pragma once

#include <vector>

#include "core/analysis/correlation.h"

namespace astro::analysis {

// x, y and trend must have the same length (throws astro::Error otherwise). r is NaN when n < 3,
// when trend is constant, or when a residual is constant; the interval is NaN when n < 5 and
// the p-value when n < 4.
Correlation detrendedPearson(const std::vector<double>& x, const std::vector<double>& y,
                             const std::vector<double>& trend, double confidence = 0.95);

}  // namespace astro::analysis
