// detrendedPearson (partial_correlation.h).
#include "core/analysis/partial_correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "core/analysis/incomplete_beta.h"
#include "core/base/error.h"

namespace astro::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// values minus their least-squares line on `trend` (centred, so the intercept drops out).
std::vector<double> residuals(const std::vector<double>& values, const std::vector<double>& trend,
                              double trendMean, double trendSquares) {
  double valuesMean = mean(values);
  double cross = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    cross += (trend[i] - trendMean) * (values[i] - valuesMean);
  }
  double slope = cross / trendSquares;
  std::vector<double> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    out[i] = (values[i] - valuesMean) - slope * (trend[i] - trendMean);
  }
  return out;
}

}  // namespace

Correlation detrendedPearson(const std::vector<double>& x, const std::vector<double>& y,
                             const std::vector<double>& trend, double confidence) {
  if (x.size() != y.size() || x.size() != trend.size()) {
    throw Error("detrendedPearson: x, y and trend need the same length (got " +
                std::to_string(x.size()) + ", " + std::to_string(y.size()) + " and " +
                std::to_string(trend.size()) + ")");
  }
  Correlation result;
  result.n = x.size();
  result.r = result.ciLow = result.ciHigh = result.pValue = kNaN;
  if (result.n < 3) return result;
  double trendMean = mean(trend);
  double trendSquares = 0;
  for (double t : trend) trendSquares += (t - trendMean) * (t - trendMean);
  if (trendSquares == 0) return result;

  // The residuals are centred; Pearson of them is their cosine.
  std::vector<double> rx = residuals(x, trend, trendMean, trendSquares);
  std::vector<double> ry = residuals(y, trend, trendMean, trendSquares);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < result.n; ++i) {
    sxy += rx[i] * ry[i];
    sxx += rx[i] * rx[i];
    syy += ry[i] * ry[i];
  }
  // A residual that is zero up to rounding is constant: x (or y) is a line in the trend.
  double scaleX = 0, scaleY = 0;
  for (std::size_t i = 0; i < result.n; ++i) {
    scaleX = std::max(scaleX, std::fabs(x[i]));
    scaleY = std::max(scaleY, std::fabs(y[i]));
  }
  const double tiny = 1e-24 * static_cast<double>(result.n);
  if (sxx <= tiny * scaleX * scaleX || syy <= tiny * scaleY * scaleY) return result;
  result.r = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);

  const double n = static_cast<double>(result.n);
  if (result.n >= 4) {
    double df = n - 3;  // n pairs, one covariate
    if (std::fabs(result.r) == 1.0) {
      result.pValue = 0.0;
    } else {
      result.pValue = studentTTwoSidedP(result.r * std::sqrt(df / (1 - result.r * result.r)), df);
    }
  }
  if (result.n >= 5) {
    if (std::fabs(result.r) >= 1.0) {
      result.ciLow = result.ciHigh = result.r;
    } else {
      double z = std::atanh(result.r);
      double halfWidth = normalQuantile(0.5 + confidence / 2) / std::sqrt(n - 4);
      result.ciLow = std::tanh(z - halfWidth);
      result.ciHigh = std::tanh(z + halfWidth);
    }
  }
  return result;
}

}  // namespace astro::analysis
