#include "core/analysis/correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/analysis/incomplete_beta.h"
#include "core/base/error.h"

namespace astro::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void requireSameLength(std::size_t a, std::size_t b, const char* what) {
  if (a != b) {
    throw Error(std::string(what) + ": the two variables differ in length (" + std::to_string(a) +
                " vs " + std::to_string(b) + ")");
  }
}

}  // namespace

double normalQuantile(double p) {
  if (!(p > 0.0) || !(p < 1.0)) throw Error("normalQuantile: p must lie in (0, 1)");
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow) {
    double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - kLow) {
    double q = p - 0.5;
    double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step against the exact CDF brings the 1e-9 approximation to double precision.
  double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

void fisherInterval(double r, std::size_t n, double confidence, double* low, double* high) {
  if (n < 4 || std::isnan(r)) {
    *low = *high = kNaN;
    return;
  }
  if (std::fabs(r) >= 1.0) {
    *low = *high = r;
    return;
  }
  double z = std::atanh(r);
  double halfWidth = normalQuantile(0.5 + confidence / 2) / std::sqrt(static_cast<double>(n) - 3);
  *low = std::tanh(z - halfWidth);
  *high = std::tanh(z + halfWidth);
}

Correlation pearson(const std::vector<double>& x, const std::vector<double>& y, double confidence) {
  requireSameLength(x.size(), y.size(), "pearson");
  Correlation result;
  result.n = x.size();
  result.r = result.ciLow = result.ciHigh = result.pValue = kNaN;
  if (result.n < 2) return result;
  double n = static_cast<double>(result.n);
  double meanX = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double meanY = std::accumulate(y.begin(), y.end(), 0.0) / n;
  // Two-pass centred sums: no cancellation when the means are large next to the spread.
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < result.n; ++i) {
    double dx = x[i] - meanX;
    double dy = y[i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0 || syy == 0) return result;
  result.r = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
  fisherInterval(result.r, result.n, confidence, &result.ciLow, &result.ciHigh);
  if (result.n >= 3) {
    double df = n - 2;
    if (std::fabs(result.r) == 1.0) {
      result.pValue = 0.0;
    } else {
      double t = result.r * std::sqrt(df / (1 - result.r * result.r));
      result.pValue = studentTTwoSidedP(t, df);
    }
  }
  return result;
}

std::vector<double> averageRanks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start + 1;
    while (end < order.size() && values[order[end]] == values[order[start]]) ++end;
    double shared = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2;
    for (std::size_t k = start; k < end; ++k) ranks[order[k]] = shared;
    start = end;
  }
  return ranks;
}

Correlation spearman(const std::vector<double>& x, const std::vector<double>& y,
                     double confidence) {
  requireSameLength(x.size(), y.size(), "spearman");
  return pearson(averageRanks(x), averageRanks(y), confidence);
}

Correlation pointBiserial(const std::vector<double>& values, const std::vector<bool>& flags,
                          double confidence) {
  requireSameLength(values.size(), flags.size(), "pointBiserial");
  std::vector<double> binary(flags.size());
  for (std::size_t i = 0; i < flags.size(); ++i) binary[i] = flags[i] ? 1.0 : 0.0;
  return pearson(values, binary, confidence);
}

}  // namespace astro::analysis
