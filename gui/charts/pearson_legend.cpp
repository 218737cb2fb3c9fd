// Pearson legends (pearson_legend.h).
#include "gui/charts/pearson_legend.h"

#include <QObject>
#include <algorithm>
#include <cmath>

#include "core/analysis/correlation.h"

namespace astro::gui {
namespace {

bool constant(const std::vector<double>& values) {
  return std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) == values.end();
}

// Two decimals, as correlations are reported; never "-0.00".
QString twoDecimals(double value) {
  QString text = QString::number(value, 'f', 2);
  return text == QLatin1String("-0.00") ? QStringLiteral("0.00") : text;
}

}  // namespace

QString pearsonLegend(const std::vector<double>& xs, const std::vector<double>& ys,
                      const QString& xQuantity, const QString& yQuantity) {
  const auto n = static_cast<qulonglong>(xs.size());
  if (xs.size() < 2) {
    return QObject::tr("r undefined (fewer than 2 checkpoints), n = %1").arg(n);
  }
  if (constant(xs)) {
    return QObject::tr("r undefined (no variation in %1), n = %2").arg(xQuantity).arg(n);
  }
  if (constant(ys)) {
    return QObject::tr("r undefined (no variation in %1), n = %2").arg(yQuantity).arg(n);
  }
  auto stats = analysis::pearson(xs, ys);
  if (!std::isfinite(stats.r)) {
    return QObject::tr("r undefined, n = %1").arg(n);
  }
  if (!std::isfinite(stats.ciLow) || !std::isfinite(stats.ciHigh)) {
    return QObject::tr("r = %1, n = %2 (a 95% CI needs n ≥ 4)").arg(twoDecimals(stats.r)).arg(n);
  }
  return QObject::tr("r = %1, 95% CI [%2, %3], n = %4")
      .arg(twoDecimals(stats.r), twoDecimals(stats.ciLow), twoDecimals(stats.ciHigh))
      .arg(n);
}

}  // namespace astro::gui
