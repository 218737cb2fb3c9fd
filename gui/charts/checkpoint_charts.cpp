#include "gui/charts/checkpoint_charts.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>

#include "core/analysis/correlation.h"

namespace astro::gui {
namespace {

QString formatStatistic(double value, int decimals) {
  return std::isfinite(value) ? QString::number(value, 'f', decimals) : QStringLiteral("n/a");
}

QString formatP(double p) {
  if (!std::isfinite(p)) return QStringLiteral("n/a");
  return p < 1e-3 ? QString::number(p, 'e', 1) : QString::number(p, 'f', 3);
}

void clearChart(QChart* chart) {
  chart->removeAllSeries();
  for (auto* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
}

std::pair<double, double> rangeOf(const std::vector<double>& values, double empty) {
  if (values.empty()) return {empty - 0.0, empty + 1.0};
  auto [low, high] = std::minmax_element(values.begin(), values.end());
  return {*low, *high};
}

}  // namespace

QString drawFitChart(QChart* chart, const std::vector<double>& xs, const std::vector<double>& ys,
                     const QString& xTitle, const QString& title, const SeriesHook& hook) {
  clearChart(chart);
  auto* x = new QValueAxis();
  x->setTitleText(xTitle);
  auto* y = new QValueAxis();
  y->setTitleText(QObject::tr("accuracy"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  chart->setTitle(title);
  auto stats = analysis::pearson(xs, ys);
  QString legend = QObject::tr("fit; Pearson r = %1, 95% CI [%2, %3], p = %4, n = %5")
                       .arg(formatStatistic(stats.r, 3), formatStatistic(stats.ciLow, 3),
                            formatStatistic(stats.ciHigh, 3), formatP(stats.pValue))
                       .arg(stats.n);
  auto* scatter = new QScatterSeries();
  scatter->setName(QObject::tr("checkpoints"));
  scatter->setMarkerSize(9);
  for (std::size_t i = 0; i < xs.size(); ++i) scatter->append(xs[i], ys[i]);
  chart->addSeries(scatter);
  scatter->attachAxis(x);
  scatter->attachAxis(y);
  if (hook) hook(scatter, xTitle, QObject::tr("accuracy"));
  auto [minX, maxX] = rangeOf(xs, 0.0);
  auto [minY, maxY] = rangeOf(ys, 0.0);
  auto fit = leastSquares(xs, ys);
  auto* line = new QLineSeries();
  line->setName(legend);
  if (fit.valid) {
    line->append(minX, fit.intercept + fit.slope * minX);
    line->append(maxX, fit.intercept + fit.slope * maxX);
  }
  chart->addSeries(line);
  line->attachAxis(x);
  line->attachAxis(y);
  double padX = std::max(1e-9, (maxX - minX) * 0.08);
  double padY = std::max(1e-9, (maxY - minY) * 0.08);
  x->setRange(minX - padX, maxX + padX);
  y->setRange(minY - padY, maxY + padY);
  x->applyNiceNumbers();
  y->applyNiceNumbers();
  chart->legend()->setAlignment(Qt::AlignBottom);
  return legend;
}

void drawAccuracyChart(QChart* chart, const std::vector<CheckpointPoint>& points,
                       const std::function<QString(std::int64_t)>& runName, const QString& title,
                       const SeriesHook& hook) {
  clearChart(chart);
  chart->setTitle(title);
  bool stepped = std::all_of(points.begin(), points.end(),
                             [](const CheckpointPoint& point) { return point.step.has_value(); });
  // Named checkpoints: one position each over all runs, steps first, then natural order.
  std::vector<QString> order;
  for (const auto& point : points) {
    if (std::find(order.begin(), order.end(), point.checkpoint) == order.end())
      order.push_back(point.checkpoint);
  }
  std::stable_sort(order.begin(), order.end(), naturalLess);
  auto xOf = [&](const CheckpointPoint& point) -> double {
    if (stepped) return static_cast<double>(*point.step);
    return static_cast<double>(std::find(order.begin(), order.end(), point.checkpoint) -
                               order.begin());
  };
  QAbstractAxis* x = nullptr;
  double minX = 0, maxX = 1;
  if (stepped) {
    auto* axis = new QValueAxis();
    axis->setTitleText(QObject::tr("checkpoint (step)"));
    axis->setLabelFormat("%g");
    x = axis;
  } else {
    auto* axis = new QCategoryAxis();
    axis->setTitleText(QObject::tr("checkpoint"));
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (std::size_t i = 0; i < order.size(); ++i) axis->append(order[i], static_cast<double>(i));
    x = axis;
  }
  auto* y = new QValueAxis();
  y->setTitleText(QObject::tr("accuracy"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  std::map<std::int64_t, std::vector<const CheckpointPoint*>> byRun;
  std::vector<double> xs, ys;
  for (const auto& point : points) {
    byRun[point.runId].push_back(&point);
    xs.push_back(xOf(point));
    ys.push_back(point.accuracy);
  }
  for (auto& [runId, runPoints] : byRun) {
    std::stable_sort(runPoints.begin(), runPoints.end(),
                     [&](auto* a, auto* b) { return xOf(*a) < xOf(*b); });
    auto* line = new QLineSeries();
    line->setName(runName(runId));
    line->setPointsVisible(true);
    for (const auto* point : runPoints) line->append(xOf(*point), point->accuracy);
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    if (hook) hook(line, x->titleText(), QObject::tr("accuracy"));
  }
  std::tie(minX, maxX) = rangeOf(xs, 0.0);
  auto [minY, maxY] = rangeOf(ys, 0.0);
  double padX = std::max(stepped ? 1e-9 : 0.3, (maxX - minX) * 0.05);
  double padY = std::max(1e-9, (maxY - minY) * 0.08);
  x->setRange(minX - padX, maxX + padX);
  if (stepped) static_cast<QValueAxis*>(x)->applyNiceNumbers();
  y->setRange(std::max(0.0, minY - padY), maxY + padY);
  y->applyNiceNumbers();
  chart->legend()->setAlignment(Qt::AlignBottom);
}

}  // namespace astro::gui
