// Nice axis ticks and their labels (axis_ticks.h).
#include "gui/charts/axis_ticks.h"

#include <QCategoryAxis>
#include <algorithm>
#include <cmath>

namespace astro::gui {
namespace {

// Magnitudes outside [1e-4, 1e6) read better as 1.5e-05 than as 0.000015 or 1500000.
constexpr double kSmallest = 1e-4;
constexpr double kLargest = 1e6;

double niceStep(double rough, bool* quarter) {
  double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double fraction = rough / magnitude;
  *quarter = false;
  if (fraction <= 1.0) return magnitude;
  if (fraction <= 2.0) return 2.0 * magnitude;
  if (fraction <= 2.5) {
    *quarter = true;
    return 2.5 * magnitude;
  }
  if (fraction <= 5.0) return 5.0 * magnitude;
  return 10.0 * magnitude;
}

// Enough decimals to tell ticks `step` apart, never "-0".
QString label(double value, double step, bool quarter, double largest) {
  if (value == 0.0) value = 0.0;  // +0: "0.00", never "-0.00"
  if (largest >= kLargest || step < kSmallest) {
    if (value == 0.0) return QStringLiteral("0");
    int digits = std::clamp(
        static_cast<int>(std::ceil(std::log10(largest / step))) + (quarter ? 2 : 1), 2, 12);
    return QString::number(value, 'g', digits);
  }
  int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  if (quarter && decimals > 0) ++decimals;  // 0.25, 2.5 need one more than their magnitude
  if (quarter && step < 10.0 && decimals == 0) decimals = 1;
  return QString::number(value, 'f', decimals);
}

AxisTicks degenerateTicks(double value) {
  AxisTicks ticks;
  double pad = value == 0.0 ? 1.0 : std::abs(value) * 0.5;
  ticks.low = value - pad;
  ticks.high = value + pad;
  ticks.degenerate = true;
  ticks.values = {value};
  // Shortest form that round-trips: the one value every point has, exactly.
  QString text = value == 0.0 ? QStringLiteral("0") : QString::number(value, 'g', 6);
  ticks.labels = {text};
  ticks.note = QObject::tr("all values = %1").arg(text);
  return ticks;
}

}  // namespace

AxisTicks niceTicks(double min, double max, int targetCount, bool integers) {
  if (!std::isfinite(min) || !std::isfinite(max) || min > max) {
    AxisTicks empty{.values = {0.0, 1.0}, .labels = {QStringLiteral("0"), QStringLiteral("1")}};
    empty.note = QObject::tr("no data");
    return empty;
  }
  double largest = std::max(std::abs(min), std::abs(max));
  if (max - min <= largest * 1e-12 || max == min) return degenerateTicks(min == -0.0 ? 0.0 : min);
  bool quarter = false;
  double step = niceStep((max - min) / std::max(1, targetCount - 1), &quarter);
  if (integers && step < 1.0) step = 1.0, quarter = false;
  if (integers && quarter && step < 10.0) step = 2.0, quarter = false;  // 2.5 is no step count
  AxisTicks ticks;
  ticks.low = std::floor(min / step + 1e-9) * step;
  ticks.high = std::ceil(max / step - 1e-9) * step;
  int count = static_cast<int>(std::llround((ticks.high - ticks.low) / step)) + 1;
  double labelLargest = std::max(std::abs(ticks.low), std::abs(ticks.high));
  for (int i = 0; i < count; ++i) {
    double value = ticks.low + i * step;
    if (std::abs(value) < step * 1e-9) value = 0.0;  // -2.7e-17 is zero, not "-0.0"
    ticks.values.push_back(value);
    ticks.labels.push_back(label(value, step, quarter, labelLargest));
  }
  return ticks;
}

AxisTicks paddedTicks(double min, double max, int targetCount, double margin, bool integers) {
  if (!std::isfinite(min) || !std::isfinite(max) || max <= min) {
    return niceTicks(min, max, targetCount, integers);
  }
  double pad = (max - min) * margin;
  double low = min >= 0 && min - pad < 0 ? 0.0 : min - pad;
  return niceTicks(low, max + pad, targetCount, integers);
}

void applyTicks(QCategoryAxis* axis, const AxisTicks& ticks) {
  for (const auto& old : axis->categoriesLabels()) axis->remove(old);
  axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  axis->setRange(ticks.low, ticks.high);
  // The first category ends on the first tick; a zero-width one when it is the axis' low end.
  axis->setStartValue(ticks.low);
  for (std::size_t i = 0; i < ticks.values.size(); ++i) {
    axis->append(ticks.labels[static_cast<qsizetype>(i)], ticks.values[i]);
  }
}

}  // namespace astro::gui
