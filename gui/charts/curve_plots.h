// What the small-multiples panel draws, computed on a worker thread from a CurveSet: per metric,
// one line per run with its EMA-smoothed values and the raw ones (drawn faint behind), both cut
// down to at most two points per pixel column (the min and max of each x bucket, so spikes stay
// visible), with the metric's own x and y ranges. The x is the step, the time since the run's
// first logged point, or the wall clock.
#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "gui/charts/curve_data.h"

namespace astro::gui {

enum class CurveAxis { kStep, kRelativeTime, kWallClock };

struct PlotOptions {
  double smoothing = 0.6;  // TensorBoard's default EMA weight
  CurveAxis axis = CurveAxis::kStep;
  bool logY = false;
  // Buckets per line: a small chart's plot is ~300 px wide, so one bucket per 2-3 px column with
  // its min and max keeps every spike; bench_training_curves measured 400 buckets (800 points a
  // line, 300 lines) at several hundred ms per GUI-thread event when 30 charts are laid out:
  // Qt Charts re-strokes every point of every line on each geometry change.
  int buckets = 120;
};

struct PlotLine {
  std::int64_t runId = 0;
  QString runName;
  QColor color;
  QList<QPointF> smoothed;          // downsampled
  QList<QPointF> raw;               // downsampled; empty when smoothing is 0 (it equals `smoothed`)
  const RawCurve* curve = nullptr;  // full resolution, owned by the MetricPlots' CurveSet
};

struct MetricPlot {
  QString metric;
  QString stage;
  std::vector<PlotLine> lines;
  double minX = 0, maxX = 1, minY = 0, maxY = 1;  // over every line, raw values included
  QString note;  // what was left out: runs without times, values <= 0 on a log axis
};

struct MetricPlots {
  std::shared_ptr<const CurveSet> data;  // keeps `PlotLine::curve` alive
  std::vector<MetricPlot> metrics;       // by stage (in first-seen order), then metric name
  PlotOptions options;
  QString xTitle;       // "step", "time since the run's first point (min)", "wall clock"
  double xScale = 1.0;  // relative time: milliseconds per x unit
};

// The min and max of each of `buckets` equal x ranges, in x order, plus the first and last point
// (exact when there are fewer points than 2 x buckets). `xs` must be ascending.
QList<QPointF> minMaxDownsample(const std::vector<double>& xs, const std::vector<double>& ys,
                                int buckets);

MetricPlots prepareMetricPlots(std::shared_ptr<const CurveSet> data, const PlotOptions& options,
                               const std::atomic<bool>& cancel);

}  // namespace astro::gui
