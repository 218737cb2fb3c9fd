#include "gui/charts/checkpoint_charts.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>

#include "gui/charts/axis_ticks.h"
#include "gui/charts/chart_text.h"
#include "gui/charts/pearson_legend.h"
#include "gui/common/run_colors.h"

namespace astro::gui {
namespace {

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

// A value axis with nice ticks over `values`; when they are all equal, `note` says so (axis
// titles are cut to one line, so the note goes to the caption).
QCategoryAxis* tickedAxis(const std::vector<double>& values, const QString& title,
                          QStringList* notes) {
  auto [low, high] = rangeOf(values, 0.0);
  auto ticks = paddedTicks(low, high, 5);
  auto* axis = new QCategoryAxis();
  applyTicks(axis, ticks);
  axis->setTitleText(title);
  if (ticks.degenerate && !values.empty()) notes->append(title + QStringLiteral(": ") + ticks.note);
  return axis;
}

}  // namespace

QString drawFitChart(QChart* chart, const std::vector<double>& xs, const std::vector<double>& ys,
                     const FitAxis& xAxis, const QString& title, const SeriesHook& hook) {
  clearChart(chart);
  QStringList notes;
  auto* x = tickedAxis(xs, xAxis.title, &notes);
  auto* y = tickedAxis(ys, QObject::tr("accuracy"), &notes);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  setWrappedTitle(chart, title);
  QString legend = pearsonLegend(xs, ys, xAxis.quantity, QObject::tr("accuracy"));
  auto* scatter = new QScatterSeries();
  scatter->setName(QObject::tr("checkpoints"));
  scatter->setMarkerSize(9);
  for (std::size_t i = 0; i < xs.size(); ++i) scatter->append(xs[i], ys[i]);
  chart->addSeries(scatter);
  scatter->attachAxis(x);
  scatter->attachAxis(y);
  if (hook) hook(scatter, xAxis.title, QObject::tr("accuracy"));
  auto [minX, maxX] = rangeOf(xs, 0.0);
  auto fit = leastSquares(xs, ys);
  auto* line = new QLineSeries();
  line->setName(QObject::tr("least-squares fit"));
  if (fit.valid) {
    line->append(minX, fit.intercept + fit.slope * minX);
    line->append(maxX, fit.intercept + fit.slope * maxX);
  }
  chart->addSeries(line);
  line->attachAxis(x);
  line->attachAxis(y);
  // Qt's legend cuts long labels: the statistics are a wrapped caption with the line's swatch.
  chart->legend()->hide();
  QString caption = QStringLiteral("<span style='color:%1'>&#9473;&#9473;</span> %2")
                        .arg(line->color().name(), legend.toHtmlEscaped());
  QString plain = legend;
  for (const auto& note : notes) {
    caption += QStringLiteral("<br><span style='color:#555'>%1</span>").arg(note.toHtmlEscaped());
    plain += QStringLiteral("\n") + note;
  }
  setCaption(chart, caption, plain);
  return legend;
}

void drawAccuracyChart(QChart* chart, const std::vector<CheckpointPoint>& points,
                       const std::function<QString(std::int64_t)>& runName, const QString& title,
                       const SeriesHook& hook) {
  clearChart(chart);
  setWrappedTitle(chart, title);
  bool stepped = std::all_of(points.begin(), points.end(),
                             [](const CheckpointPoint& point) { return point.step.has_value(); });
  // Named checkpoints: one position each over all runs, in pipeline order (checkpointLess).
  std::vector<QString> order;
  for (const auto& point : points) {
    if (std::find(order.begin(), order.end(), point.checkpoint) == order.end())
      order.push_back(point.checkpoint);
  }
  std::stable_sort(order.begin(), order.end(), checkpointLess);
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
  std::map<std::int64_t, std::vector<const CheckpointPoint*>> byRun;
  std::vector<double> xs, ys;
  for (const auto& point : points) {
    byRun[point.runId].push_back(&point);
    xs.push_back(xOf(point));
    ys.push_back(point.accuracy);
  }
  QStringList notes;
  auto* y = tickedAxis(ys, QObject::tr("accuracy"), &notes);
  QStringList escaped;
  for (const auto& note : notes) escaped << note.toHtmlEscaped();
  setCaption(chart, escaped.join(QStringLiteral("<br>")), notes.join('\n'));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (auto& [runId, runPoints] : byRun) {
    std::stable_sort(runPoints.begin(), runPoints.end(),
                     [&](auto* a, auto* b) { return xOf(*a) < xOf(*b); });
    auto* line = new QLineSeries();
    line->setPen(QPen(runColor(runId), 2.0));  // the run's colour, as everywhere in the studio
    line->setColor(runColor(runId));
    line->setPointsVisible(true);
    for (const auto* point : runPoints) line->append(xOf(*point), point->accuracy);
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    line->setName(runName(runId));
    if (hook) hook(line, x->titleText(), QObject::tr("accuracy"));
  }
  std::tie(minX, maxX) = rangeOf(xs, 0.0);
  double padX = std::max(stepped ? 1e-9 : 0.3, (maxX - minX) * 0.05);
  if (stepped && maxX == minX) padX = std::max(1.0, std::abs(minX) * 0.5);
  x->setRange(minX - padX, maxX + padX);
  if (stepped) static_cast<QValueAxis*>(x)->applyNiceNumbers();
  chart->legend()->setAlignment(Qt::AlignBottom);
}

}  // namespace astro::gui
