// Smoothing, downsampling and ranges of the small multiples (curve_plots.h).
#include "gui/charts/curve_plots.h"

#include <QObject>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "gui/charts/checkpoint_points.h"
#include "gui/common/run_colors.h"

namespace astro::gui {
namespace {

struct TimeUnit {
  double msPerUnit;
  const char* name;
};

// The unit that keeps relative-time labels short: seconds up to 2 min, minutes up to 2 h.
TimeUnit timeUnitFor(double maxMs) {
  if (maxMs <= 120'000) return {1000.0, "s"};
  if (maxMs <= 7'200'000) return {60'000.0, "min"};
  return {3'600'000.0, "h"};
}

// Each run's first logged time: relative time starts there.
std::map<std::int64_t, double> runStarts(const CurveSet& data) {
  std::map<std::int64_t, double> starts;
  for (const auto& curve : data.curves) {
    if (curve.timesMs.empty()) continue;
    double first = *std::min_element(curve.timesMs.begin(), curve.timesMs.end());
    auto [slot, inserted] = starts.try_emplace(curve.runId, first);
    if (!inserted) slot->second = std::min(slot->second, first);
  }
  return starts;
}

// Sorts (x, y) pairs by x when a resumed run re-logged a step out of time order.
void sortByX(std::vector<double>& xs, std::vector<double>& ys) {
  if (std::is_sorted(xs.begin(), xs.end())) return;
  std::vector<std::size_t> order(xs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return xs[a] < xs[b]; });
  std::vector<double> sortedX, sortedY;
  for (auto i : order) {
    sortedX.push_back(xs[i]);
    sortedY.push_back(ys[i]);
  }
  xs = std::move(sortedX);
  ys = std::move(sortedY);
}

struct LineResult {
  bool shown = false;
  int droppedNonPositive = 0;
};

// One run's line of a metric: x per the axis, EMA over the full series, then downsampled.
LineResult buildLine(const RawCurve& curve, const PlotOptions& options, double start,
                     double msPerUnit, PlotLine& line, MetricPlot& plot) {
  LineResult result;
  std::vector<double> xs, raw;
  auto smoothedAll = exponentialMovingAverage(curve.values, options.smoothing);
  std::vector<double> smoothed;
  bool timed = options.axis != CurveAxis::kStep;
  for (std::size_t i = 0; i < curve.values.size(); ++i) {
    if (options.logY && (curve.values[i] <= 0 || smoothedAll[i] <= 0)) {
      ++result.droppedNonPositive;
      continue;
    }
    double x = static_cast<double>(curve.steps[i]);
    if (options.axis == CurveAxis::kRelativeTime) x = (curve.timesMs[i] - start) / msPerUnit;
    if (options.axis == CurveAxis::kWallClock) x = curve.timesMs[i];
    xs.push_back(x);
    raw.push_back(curve.values[i]);
    smoothed.push_back(smoothedAll[i]);
  }
  if (xs.empty()) return result;
  if (timed) {
    auto rawXs = xs;
    sortByX(rawXs, raw);
    sortByX(xs, smoothed);
  }
  line.runId = curve.runId;
  line.runName = curve.runName;
  line.color = runColor(curve.runId);
  line.curve = &curve;
  line.smoothed = minMaxDownsample(xs, smoothed, options.buckets);
  if (options.smoothing > 0) line.raw = minMaxDownsample(xs, raw, options.buckets);
  auto [minRaw, maxRaw] = std::minmax_element(raw.begin(), raw.end());
  bool first = plot.lines.empty();
  plot.minX = first ? xs.front() : std::min(plot.minX, xs.front());
  plot.maxX = first ? xs.back() : std::max(plot.maxX, xs.back());
  plot.minY = first ? *minRaw : std::min(plot.minY, *minRaw);
  plot.maxY = first ? *maxRaw : std::max(plot.maxY, *maxRaw);
  result.shown = true;
  return result;
}

}  // namespace

QList<QPointF> minMaxDownsample(const std::vector<double>& xs, const std::vector<double>& ys,
                                int buckets) {
  QList<QPointF> points;
  const std::size_t n = xs.size();
  if (n <= static_cast<std::size_t>(2 * std::max(1, buckets)) || xs.front() == xs.back()) {
    points.reserve(static_cast<qsizetype>(n));
    for (std::size_t i = 0; i < n; ++i) points.append(QPointF(xs[i], ys[i]));
    return points;
  }
  const double low = xs.front(), width = (xs.back() - low) / buckets;
  points.reserve(2 * buckets + 2);
  points.append(QPointF(xs.front(), ys.front()));
  std::size_t i = 1;
  for (int bucket = 0; bucket < buckets && i + 1 < n; ++bucket) {
    double end = bucket + 1 == buckets ? xs.back() : low + (bucket + 1) * width;
    std::size_t lowest = i, highest = i;
    std::size_t begin = i;
    while (i + 1 < n && xs[i] <= end) {
      if (ys[i] < ys[lowest]) lowest = i;
      if (ys[i] > ys[highest]) highest = i;
      ++i;
    }
    if (i == begin) continue;  // an empty bucket: a gap in steps
    // In x order, so the line goes through both extremes without doubling back.
    auto [first, second] = std::minmax(lowest, highest);
    points.append(QPointF(xs[first], ys[first]));
    if (second != first) points.append(QPointF(xs[second], ys[second]));
  }
  points.append(QPointF(xs.back(), ys.back()));
  return points;
}

MetricPlots prepareMetricPlots(std::shared_ptr<const CurveSet> data, const PlotOptions& options,
                               const std::atomic<bool>& cancel) {
  MetricPlots plots{.data = data, .options = options};
  auto starts = runStarts(*data);
  double maxRelative = 0;
  for (const auto& curve : data->curves) {
    if (curve.timesMs.empty()) continue;
    auto last = *std::max_element(curve.timesMs.begin(), curve.timesMs.end());
    maxRelative = std::max(maxRelative, last - starts[curve.runId]);
  }
  TimeUnit unit = timeUnitFor(maxRelative);
  switch (options.axis) {
    case CurveAxis::kStep:
      plots.xTitle = QObject::tr("step");
      break;
    case CurveAxis::kRelativeTime:
      plots.xTitle = QObject::tr("time since the run's first point (%1)").arg(unit.name);
      plots.xScale = unit.msPerUnit;
      break;
    case CurveAxis::kWallClock:
      plots.xTitle = QObject::tr("wall clock (UTC)");
      break;
  }
  // Stages in pipeline order, then metric prefixes that name no stage in first-seen order;
  // metrics by name inside each.
  std::vector<QString> stageOrder = data->stageOrder;
  std::map<QString, std::vector<const RawCurve*>> byMetric;
  for (const auto& curve : data->curves) {
    QString stage = stageOfMetric(curve.metric);
    if (std::find(stageOrder.begin(), stageOrder.end(), stage) == stageOrder.end())
      stageOrder.push_back(stage);
    byMetric[curve.metric].push_back(&curve);
  }
  for (const auto& stage : stageOrder) {
    for (const auto& [metric, curves] : byMetric) {
      if (cancel) return plots;
      if (stageOfMetric(metric) != stage) continue;
      MetricPlot plot{.metric = metric, .stage = stage};
      QStringList untimed;
      int dropped = 0;
      for (const auto* curve : curves) {
        if (options.axis != CurveAxis::kStep && curve->timesMs.empty()) {
          untimed << curve->runName;
          continue;
        }
        PlotLine line;
        auto result = buildLine(*curve, options, starts[curve->runId], unit.msPerUnit, line, plot);
        dropped += result.droppedNonPositive;
        if (result.shown) plot.lines.push_back(std::move(line));
      }
      QStringList notes;
      if (!untimed.isEmpty()) {
        notes << QObject::tr("no logged times for %1 (written without metric events)")
                     .arg(untimed.join(QStringLiteral(", ")));
      }
      if (dropped > 0) notes << QObject::tr("%1 values ≤ 0 left out on the log axis").arg(dropped);
      plot.note = notes.join(QStringLiteral("; "));
      plots.metrics.push_back(std::move(plot));
    }
  }
  return plots;
}

}  // namespace astro::gui
