// Axis ticks that read well at any data: "nice" steps (1, 2, 2.5, 5 x 10^k) covering the data,
// labels with just the decimals the step needs (no "-0.0000"), scientific notation for very large
// or very small magnitudes, and a degenerate axis (every value equal) drawn as one labelled tick
// with a note instead of a range of identical labels. Applied to a QCategoryAxis so the labels
// are exactly these strings (QValueAxis prints its own, "-0.0" included).
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

class QCategoryAxis;

namespace astro::gui {

struct AxisTicks {
  double low = 0.0;  // axis range
  double high = 1.0;
  std::vector<double> values;  // tick positions, low..high
  QStringList labels;          // one per value
  bool degenerate = false;     // every value equal: one tick, the range padded around it
  QString note;                // "all values = 0" when degenerate, else empty
};

// Ticks covering [min, max] with about `targetCount` steps, whole numbers only when `integers`
// (steps, counts). min > max or non-finite bounds give the axis 0..1 with a note.
AxisTicks niceTicks(double min, double max, int targetCount = 5, bool integers = false);

// As niceTicks, with the data kept off the plot's border: the range grows by `margin` of itself
// on each side first (never below 0 for data that is not negative: losses, rates, counts).
AxisTicks paddedTicks(double min, double max, int targetCount = 5, double margin = 0.04,
                      bool integers = false);

// Sets the axis' range to the ticks' and its categories to the labels, positioned on the values.
void applyTicks(QCategoryAxis* axis, const AxisTicks& ticks);

}  // namespace astro::gui
