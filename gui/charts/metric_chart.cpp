// One metric's small chart (metric_chart.h).
#include "gui/charts/metric_chart.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFileDialog>
#include <QGraphicsScene>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "gui/charts/axis_ticks.h"
#include "gui/charts/chart_text.h"
#include "gui/charts/checkpoint_points.h"

namespace astro::gui {
namespace {

constexpr int kRawAlpha = 60;  // the raw line stays readable behind the smoothed one, not louder
constexpr int kPointsShownUpTo = 40;

QFont smallFont(const QFont& base) {
  QFont font = base;
  font.setPointSizeF(std::max(6.0, base.pointSizeF() * 0.8));
  return font;
}

void styleAxis(QAbstractAxis* axis) {
  axis->setLabelsFont(smallFont(axis->labelsFont()));
  axis->setTitleFont(smallFont(axis->titleFont()));
}

QString formatValue(double value) { return QString::number(value, 'g', 6); }

}  // namespace

MetricChart::MetricChart(const QString& metric, QWidget* parent)
    : QWidget(parent), metric_(metric) {
  setObjectName(QStringLiteral("metricChart:") + metric);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  chart_ = new QChart();
  chart_->legend()->hide();
  chart_->setMargins(QMargins(4, 2, 8, 2));
  QFont title = chart_->titleFont();
  title.setBold(true);
  chart_->setTitleFont(title);
  setWrappedTitle(chart_, metric);
  auto* view = new WrappingChartView(chart_, this);
  // Every line's item changes geometry on each update; a BSP index of a dozen items only costs.
  view->scene()->setItemIndexMethod(QGraphicsScene::NoIndex);
  view->setMinimumHeight(100);
  layout->addWidget(view, 1);
  auto* footer = new QHBoxLayout();
  footer->setContentsMargins(6, 0, 6, 2);
  layout->addLayout(footer);
  note_ = new QLabel(this);
  note_->setObjectName("chartNote");
  note_->setWordWrap(true);
  note_->setTextFormat(Qt::PlainText);
  note_->setStyleSheet(QStringLiteral("color: #555"));
  note_->setFont(smallFont(note_->font()));
  footer->addWidget(note_, 1);
  auto* exportButton = new QToolButton(this);
  exportButton->setText(tr("Export"));
  exportButton->setAutoRaise(true);
  exportButton->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(exportButton);
  for (auto [format, name] : {std::pair{ChartFormat::kPng, tr("PNG…")},
                              {ChartFormat::kSvg, tr("SVG…")},
                              {ChartFormat::kPdf, tr("PDF…")},
                              {ChartFormat::kCsv, tr("Data as CSV…")}}) {
    menu->addAction(name, this, [this, format] { exportDialog(format); });
  }
  exportButton->setMenu(menu);
  footer->addWidget(exportButton, 0, Qt::AlignRight | Qt::AlignTop);
}

void MetricChart::setPlot(const MetricPlot& plot, const MetricPlots& plots) {
  bool axesKept = !chart_->axes().isEmpty() && options_.axis == plots.options.axis &&
                  options_.logY == plots.options.logY;
  plot_ = plot;
  data_ = plots.data;
  options_ = plots.options;
  xTitle_ = plots.xTitle;
  // Every geometry change re-strokes every line (Qt Charts' hover shape): empty the lines,
  // set the axes, then fill each line once (bench_training_curves).
  bool linesKept = axesKept && lines_.size() == plot_.lines.size();
  for (std::size_t i = 0; linesKept && i < lines_.size(); ++i) {
    linesKept = lines_[i].runId == plot_.lines[i].runId &&
                (lines_[i].raw != nullptr) == !plot_.lines[i].raw.isEmpty();
  }
  if (linesKept) {
    for (auto& line : lines_) {
      if (line.raw) line.raw->clear();
      line.smoothed->clear();
    }
  } else {
    chart_->removeAllSeries();
    lines_.clear();
  }
  setAxes(axesKept);
  if (!linesKept) addLines();
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (lines_[i].raw) lines_[i].raw->replace(plot_.lines[i].raw);
    // A line of a few points (RL steps, one evaluation) shows its points; one point is no line.
    lines_[i].smoothed->setPointsVisible(plot_.lines[i].smoothed.size() <= kPointsShownUpTo);
    lines_[i].smoothed->replace(plot_.lines[i].smoothed);
  }
  note_->setText(note());
  note_->setVisible(!note_->text().isEmpty());
}

bool MetricChart::isSinglePoint() const {
  return std::all_of(plot_.lines.begin(), plot_.lines.end(),
                     [](const PlotLine& line) { return line.smoothed.size() <= 1; });
}

QString MetricChart::note() const {
  QStringList parts;
  if (!axisNote_.isEmpty()) parts << axisNote_;
  if (!plot_.note.isEmpty()) parts << plot_.note;
  if (plot_.lines.empty() && plot_.note.isEmpty()) parts << tr("no points to draw");
  return parts.join(QStringLiteral("; "));
}

void MetricChart::setAxes(bool keep) {
  if (!keep) {
    for (auto* axis : chart_->axes()) {
      chart_->removeAxis(axis);
      delete axis;
    }
  }
  QAbstractAxis* x = chart_->axes(Qt::Horizontal).value(0);
  QAbstractAxis* y = chart_->axes(Qt::Vertical).value(0);
  if (!x) {
    x = options_.axis == CurveAxis::kWallClock ? static_cast<QAbstractAxis*>(new QDateTimeAxis())
                                               : new QCategoryAxis();
    y = options_.logY ? static_cast<QAbstractAxis*>(new QLogValueAxis()) : new QCategoryAxis();
    styleAxis(x);
    styleAxis(y);
    chart_->addAxis(x, Qt::AlignBottom);
    chart_->addAxis(y, Qt::AlignLeft);
  }
  axisNote_.clear();
  if (auto* time = qobject_cast<QDateTimeAxis*>(x)) {
    double span = plot_.maxX - plot_.minX;
    time->setFormat(span > 86'400'000 ? QStringLiteral("MMM d HH:mm") : QStringLiteral("HH:mm"));
    time->setTickCount(4);
    double pad = span > 0 ? 0 : 60'000;
    time->setRange(QDateTime::fromMSecsSinceEpoch(qint64(plot_.minX - pad), Qt::UTC),
                   QDateTime::fromMSecsSinceEpoch(qint64(plot_.maxX + pad), Qt::UTC));
  } else {
    auto ticks = paddedTicks(plot_.minX, plot_.maxX, 4, 0.03, options_.axis == CurveAxis::kStep);
    applyTicks(static_cast<QCategoryAxis*>(x), ticks);
    if (ticks.degenerate && !plot_.lines.empty()) axisNote_ = tr("one %1 only").arg(xTitle_);
  }
  x->setTitleText(xTitle_);
  if (auto* log = qobject_cast<QLogValueAxis*>(y)) {
    log->setBase(10);
    log->setLabelFormat(QStringLiteral("%g"));
    double low = plot_.minY > 0 ? plot_.minY : 1e-3;
    log->setRange(low, plot_.maxY > low ? plot_.maxY : low * 10);
  } else {
    auto ticks = paddedTicks(plot_.minY, plot_.maxY, 5);
    applyTicks(static_cast<QCategoryAxis*>(y), ticks);
    if (ticks.degenerate && !plot_.lines.empty()) {
      axisNote_ = axisNote_.isEmpty() ? ticks.note : axisNote_ + QStringLiteral("; ") + ticks.note;
    }
  }
}

void MetricChart::addLines() {
  auto* x = chart_->axes(Qt::Horizontal).value(0);
  auto* y = chart_->axes(Qt::Vertical).value(0);
  for (int index = 0; index < static_cast<int>(plot_.lines.size()); ++index) {
    const auto& line = plot_.lines[static_cast<std::size_t>(index)];
    ChartLine added{.runId = line.runId};
    if (!line.raw.isEmpty()) {
      added.raw = new QLineSeries();
      QColor faint = line.color;
      faint.setAlpha(kRawAlpha);
      added.raw->setPen(QPen(faint, 1.0));
      chart_->addSeries(added.raw);
      added.raw->attachAxis(x);
      added.raw->attachAxis(y);
      chart_->legend()->markers(added.raw).value(0)->setVisible(false);
    }
    added.smoothed = new QLineSeries();
    added.smoothed->setPen(QPen(line.color, 1.8));
    added.smoothed->setColor(line.color);
    added.smoothed->setMarkerSize(4);
    added.smoothed->setName(line.runName);
    chart_->addSeries(added.smoothed);
    added.smoothed->attachAxis(x);
    added.smoothed->attachAxis(y);
    connect(added.smoothed, &QXYSeries::hovered, this,
            [this, index](const QPointF& point, bool state) {
              if (!state) {
                QToolTip::hideText();
                return;
              }
              QToolTip::showText(QCursor::pos(), describePoint(index, point.x()), this);
            });
    lines_.push_back(added);
  }
}

QString MetricChart::describePoint(int lineIndex, double x) const {
  if (lineIndex < 0 || lineIndex >= static_cast<int>(plot_.lines.size())) return {};
  const auto& line = plot_.lines[static_cast<std::size_t>(lineIndex)];
  if (line.smoothed.isEmpty()) return {};
  // The nearest drawn point: drawn points are real points of the series, not interpolations.
  auto nearest = std::min_element(line.smoothed.begin(), line.smoothed.end(),
                                  [x](const QPointF& a, const QPointF& b) {
                                    return std::abs(a.x() - x) < std::abs(b.x() - x);
                                  });
  QString where;
  std::optional<double> raw;
  switch (options_.axis) {
    case CurveAxis::kStep: {
      auto step = static_cast<std::int64_t>(std::llround(nearest->x()));
      where = tr("step %1").arg(step);
      const auto& steps = line.curve->steps;
      auto found = std::lower_bound(steps.begin(), steps.end(), step);
      if (found != steps.end() && *found == step) raw = line.curve->values[found - steps.begin()];
      break;
    }
    case CurveAxis::kRelativeTime:
      where = tr("%1 (%2)").arg(formatValue(nearest->x()), xTitle_);
      break;
    case CurveAxis::kWallClock:
      where = QDateTime::fromMSecsSinceEpoch(qint64(nearest->x()), Qt::UTC)
                  .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
      break;
  }
  QString value = options_.smoothing > 0 && raw
                      ? tr("%1 = %2 (EMA %3: %4)")
                            .arg(metric_, formatValue(*raw), formatValue(options_.smoothing),
                                 formatValue(nearest->y()))
                      : tr("%1 = %2").arg(metric_, formatValue(nearest->y()));
  return tr("%1 (run %2)\n%3\n%4").arg(line.runName).arg(line.runId).arg(where, value);
}

void MetricChart::exportTo(ChartFormat format, const QString& path,
                           const ChartExportOptions& options) {
  writeChartFile(path, exportFile(format, path, options));
}

ChartFile MetricChart::exportFile(ChartFormat format, const QString& path,
                                  const ChartExportOptions& options) {
  if (format == ChartFormat::kCsv) {
    std::vector<ChartSeriesData> series;
    for (const auto& line : plot_.lines) {
      const auto& curve = *line.curve;
      auto smoothed = exponentialMovingAverage(curve.values, options_.smoothing);
      ChartSeriesData raw{.name = line.runName},
          ema{.name = line.runName + tr(" EMA %1").arg(options_.smoothing)};
      for (std::size_t i = 0; i < curve.steps.size(); ++i) {
        raw.points.emplace_back(static_cast<double>(curve.steps[i]), curve.values[i]);
        ema.points.emplace_back(static_cast<double>(curve.steps[i]), smoothed[i]);
      }
      series.push_back(std::move(raw));
      if (options_.smoothing > 0) series.push_back(std::move(ema));
    }
    return seriesCsvFile(std::move(series), tr("step"), metric_);
  }
  // The figure names its runs; the small chart on screen leaves that to the panel's legend.
  chart_->legend()->setAlignment(Qt::AlignBottom);
  chart_->legend()->show();
  struct HideLegend {
    QChart* chart;
    ~HideLegend() { chart->legend()->hide(); }
  } hide{chart_};
  return paintChartFile(chart_, format, options, path);
}

void MetricChart::exportDialog(ChartFormat format) {
  static const char* kFilters[] = {"PNG image (*.png)", "SVG drawing (*.svg)",
                                   "PDF document (*.pdf)", "CSV table (*.csv)"};
  QString suggested = QString(metric_).replace(QLatin1Char('/'), QLatin1Char('_'));
  QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(metric_), suggested,
                                              tr(kFilters[static_cast<int>(format)]));
  if (path.isEmpty()) return;
  try {
    Q_EMIT exportRequested(metric_, path, exportFile(format, path));
  } catch (const std::exception& error) {
    Q_EMIT exportFailed(QString::fromUtf8(error.what()));
  }
}

}  // namespace astro::gui
