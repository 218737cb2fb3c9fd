#include "gui/charts/charts_view.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QListView>
#include <QLogValueAxis>
#include <QMenu>
#include <QMessageBox>
#include <QScatterSeries>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>
#include <set>

#include "gui/charts/checkpoint_charts.h"

namespace astro::gui {
namespace {

// Curves a training run usually wants first (ASTRO's figures: loss, reward, response length and
// backtracks over RL steps).
bool shownByDefault(const QString& name) {
  // The checkpoint charts show evaluation metrics.
  if (name.startsWith(QLatin1String("eval/")) || isCheckpointMetric(name.toStdString())) {
    return false;
  }
  for (const char* word : {"loss", "reward", "length", "backtrack"}) {
    if (name.contains(QLatin1String(word))) return true;
  }
  return false;
}

}  // namespace

ChartsView::ChartsView(QWidget* parent) : QWidget(parent) {
  setObjectName("chartsView");
  auto* layout = new QVBoxLayout(this);
  auto* controls = new QHBoxLayout();
  layout->addLayout(controls);
  controls->addWidget(new QLabel(tr("EMA"), this));
  smoothingSlider_ = new QSlider(Qt::Horizontal, this);
  smoothingSlider_->setObjectName("emaSlider");
  smoothingSlider_->setRange(0, 99);
  smoothingSlider_->setValue(static_cast<int>(smoothing_ * 100));
  smoothingSlider_->setMaximumWidth(160);
  connect(smoothingSlider_, &QSlider::valueChanged, this,
          [this](int value) { setSmoothing(value / 100.0); });
  controls->addWidget(smoothingSlider_);
  logToggle_ = new QCheckBox(tr("Log y axis"), this);
  connect(logToggle_, &QCheckBox::toggled, this, &ChartsView::setLogAxis);
  controls->addWidget(logToggle_);
  controls->addSpacing(20);
  controls->addWidget(new QLabel(tr("Export px"), this));
  exportWidth_ = new QSpinBox(this);
  exportWidth_->setRange(200, 12000);
  exportWidth_->setValue(ChartExportOptions{}.pixels.width());
  exportHeight_ = new QSpinBox(this);
  exportHeight_->setRange(150, 12000);
  exportHeight_->setValue(ChartExportOptions{}.pixels.height());
  exportDpi_ = new QSpinBox(this);
  exportDpi_->setRange(72, 1200);
  exportDpi_->setValue(ChartExportOptions{}.dpi);
  exportDpi_->setSuffix(tr(" dpi"));
  controls->addWidget(exportWidth_);
  controls->addWidget(new QLabel(QStringLiteral("×"), this));
  controls->addWidget(exportHeight_);
  controls->addWidget(exportDpi_);
  for (auto [which, title] : {std::pair{Which::kCorrelation, tr("Export correlation")},
                              std::pair{Which::kLength, tr("Export length")},
                              std::pair{Which::kAccuracy, tr("Export accuracy")},
                              std::pair{Which::kCurves, tr("Export curves")}}) {
    auto* button = new QToolButton(this);
    button->setText(title);
    button->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(button);
    for (auto [format, name] : {std::pair{Format::kPng, tr("PNG…")},
                                {Format::kSvg, tr("SVG…")},
                                {Format::kPdf, tr("PDF…")},
                                {Format::kCsv, tr("Data as CSV…")}}) {
      menu->addAction(name, this, [this, which, format] { exportDialog(which, format); });
    }
    button->setMenu(menu);
    controls->addWidget(button);
  }
  controls->addSpacing(20);
  controls->addWidget(new QLabel(tr("Benchmark"), this));
  benchmarkBox_ = new QComboBox(this);
  benchmarkBox_->setObjectName("benchmarkBox");
  benchmarkBox_->setEnabled(false);
  benchmarkBox_->setMinimumContentsLength(12);
  connect(benchmarkBox_, &QComboBox::activated, this,
          [this](int index) { setBenchmark(benchmarkBox_->itemData(index).toString()); });
  controls->addWidget(benchmarkBox_);
  controls->addStretch(1);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  layout->addWidget(splitter, 1);
  metricNames_ = new QStandardItemModel(this);
  auto* names = new QListView(splitter);
  names->setObjectName("metricNames");
  names->setModel(metricNames_);
  connect(metricNames_, &QStandardItemModel::itemChanged, this, [this] {
    if (!updatingNames_) loadCurves();
  });
  auto* charts = new QSplitter(Qt::Vertical, splitter);
  auto* checkpoints = new QSplitter(Qt::Horizontal, charts);
  correlation_ = new QChart();
  correlationView_ = new QChartView(correlation_, checkpoints);
  correlationView_->setObjectName("correlationChart");
  correlationView_->setRenderHint(QPainter::Antialiasing);
  length_ = new QChart();
  auto* lengthView = new QChartView(length_, checkpoints);
  lengthView->setObjectName("lengthChart");
  lengthView->setRenderHint(QPainter::Antialiasing);
  accuracy_ = new QChart();
  auto* accuracyView = new QChartView(accuracy_, checkpoints);
  accuracyView->setObjectName("accuracyChart");
  accuracyView->setRenderHint(QPainter::Antialiasing);
  curves_ = new QChart();
  curves_->setTitle(tr("Training curves"));
  curvesView_ = new QChartView(curves_, charts);
  curvesView_->setObjectName("curvesChart");
  curvesView_->setRenderHint(QPainter::Antialiasing);
  curvesView_->setRubberBand(QChartView::RectangleRubberBand);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 4);
  splitter->setSizes({180, 1000});
  status_ = new QLabel(this);
  layout->addWidget(status_);
  drawCheckpointCharts();
  drawCurves();
}

void ChartsView::setWorkspace(std::filesystem::path folder) {
  workspace_ = std::move(folder);
  setRuns({});
}

void ChartsView::setRuns(std::vector<std::int64_t> runIds) {
  runIds_ = std::move(runIds);
  auto folder = workspace_;
  auto ids = runIds_;
  namesJobs_.start(
      [folder, ids](const std::atomic<bool>&) {
        try {
          return readMetricNames(folder, ids);
        } catch (const std::exception&) {
          return std::vector<std::string>{};
        }
      },
      [this](std::vector<std::string> names) {
        allNames_ = names;
        std::set<QString> checked;
        for (int row = 0; row < metricNames_->rowCount(); ++row) {
          auto* item = metricNames_->item(row);
          if (item->checkState() == Qt::Checked) checked.insert(item->text());
        }
        bool keep = !checked.empty();
        updatingNames_ = true;
        metricNames_->clear();
        for (const auto& name : names) {
          QString text = QString::fromStdString(name);
          auto* item = new QStandardItem(text);
          item->setCheckable(true);
          item->setEditable(false);
          bool on = keep ? checked.count(text) > 0 : shownByDefault(text);
          item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
          metricNames_->appendRow(item);
        }
        updatingNames_ = false;
        loadCurves();
      });
}

void ChartsView::loadCurves() {
  std::vector<std::string> names;
  for (int row = 0; row < metricNames_->rowCount(); ++row) {
    auto* item = metricNames_->item(row);
    if (item->checkState() == Qt::Checked) names.push_back(item->text().toStdString());
  }
  // The correlation chart pairs the eval metrics whether or not their curves are shown.
  std::vector<std::string> wanted = names;
  for (const auto& name : allNames_) {
    if (isCheckpointMetric(name) && std::find(wanted.begin(), wanted.end(), name) == wanted.end())
      wanted.push_back(name);
  }
  auto folder = workspace_;
  auto ids = runIds_;
  seriesJobs_.start(
      [folder, ids, wanted](const std::atomic<bool>&) {
        try {
          return readMetricSeries(folder, ids, wanted);
        } catch (const std::exception&) {
          return std::vector<MetricSeries>{};
        }
      },
      [this, names](std::vector<MetricSeries> series) {
        auto points = pointsFromMetrics(series);
        if (!points.empty() || pointsSource_.startsWith(QLatin1String("runs"))) {
          setCheckpointPoints({.source = tr("runs' eval metrics"), .points = points});
        }
        std::set<std::string> shown(names.begin(), names.end());
        std::erase_if(series, [&](const MetricSeries& one) { return !shown.count(one.name); });
        series_ = std::move(series);
        drawCurves();
      });
}

void ChartsView::setSmoothing(double smoothing) {
  smoothing_ = std::clamp(smoothing, 0.0, 0.99);
  drawCurves();
}

void ChartsView::setLogAxis(bool on) {
  logAxis_ = on;
  drawCurves();
}

int ChartsView::curveCount() const { return static_cast<int>(curves_->series().size()); }

QChart* ChartsView::chart(Which which) const {
  switch (which) {
    case Which::kCorrelation:
      return correlation_;
    case Which::kLength:
      return length_;
    case Which::kAccuracy:
      return accuracy_;
    case Which::kCurves:
      break;
  }
  return curves_;
}

void ChartsView::attachTooltip(QXYSeries* series, const QString& xName, const QString& yName) {
  connect(series, &QXYSeries::hovered, this,
          [series, xName, yName](const QPointF& point, bool state) {
            if (!state) {
              QToolTip::hideText();
              return;
            }
            // Hovering reports the cursor's position: show the nearest stored point exactly.
            const auto points = series->points();
            if (points.isEmpty()) return;
            auto nearest = std::min_element(points.begin(), points.end(), [&](auto a, auto b) {
              return std::abs(a.x() - point.x()) < std::abs(b.x() - point.x());
            });
            QToolTip::showText(QCursor::pos(), QStringLiteral("%1\n%2 = %3\n%4 = %5")
                                                   .arg(series->name(), xName)
                                                   .arg(nearest->x(), 0, 'g', 10)
                                                   .arg(yName)
                                                   .arg(nearest->y(), 0, 'g', 10));
          });
}

void ChartsView::drawCurves() {
  curves_->removeAllSeries();
  for (auto* axis : curves_->axes()) {
    curves_->removeAxis(axis);
    delete axis;
  }
  auto* x = new QValueAxis();
  x->setTitleText(tr("step"));
  x->setLabelFormat("%g");
  QAbstractAxis* y = nullptr;
  if (logAxis_) {
    auto* logY = new QLogValueAxis();
    logY->setBase(10);
    logY->setLabelFormat("%g");
    y = logY;
  } else {
    y = new QValueAxis();
  }
  y->setTitleText(tr("value"));
  curves_->addAxis(x, Qt::AlignBottom);
  curves_->addAxis(y, Qt::AlignLeft);
  double minX = 0, maxX = 1, minY = 0, maxY = 1;
  bool first = true;
  int skippedNonPositive = 0;
  for (const auto& one : series_) {
    auto* line = new QLineSeries();
    line->setName(QStringLiteral("%1 · %2").arg(QString::fromStdString(one.runName),
                                                QString::fromStdString(one.name)));
    std::vector<double> values;
    for (const auto& point : one.points) values.push_back(point.value);
    auto smoothed = exponentialMovingAverage(values, smoothing_);
    QList<QPointF> points;
    for (std::size_t i = 0; i < one.points.size(); ++i) {
      double value = smoothed[i];
      if (logAxis_ && value <= 0) {
        ++skippedNonPositive;
        continue;
      }
      double step = static_cast<double>(one.points[i].step);
      points.append(QPointF(step, value));
      minX = first ? step : std::min(minX, step);
      maxX = first ? step : std::max(maxX, step);
      minY = first ? value : std::min(minY, value);
      maxY = first ? value : std::max(maxY, value);
      first = false;
    }
    line->replace(points);
    curves_->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    attachTooltip(line, tr("step"), QString::fromStdString(one.name));
  }
  if (maxX <= minX) maxX = minX + 1;
  if (maxY <= minY) maxY = minY + (logAxis_ ? minY : 1.0);
  x->setRange(minX, maxX);
  x->applyNiceNumbers();
  if (logAxis_) {
    y->setRange(minY, maxY);
  } else {
    double pad = (maxY - minY) * 0.05;
    // Non-negative data (losses, lengths) keeps its axis from dipping below zero.
    double low = minY >= 0 && minY - pad < 0 ? 0.0 : minY - pad;
    y->setRange(low, maxY + pad);
    static_cast<QValueAxis*>(y)->applyNiceNumbers();
  }
  QString text = series_.empty() ? tr("Select runs in the workspace panel and metrics on the left.")
                                 : tr("%1 curves, EMA %2").arg(series_.size()).arg(smoothing_);
  if (skippedNonPositive > 0) {
    text += tr("; %1 values ≤ 0 left out on the log axis").arg(skippedNonPositive);
  }
  status_->setText(text);
  Q_EMIT curvesUpdated();
}

void ChartsView::setCheckpointPoints(const CheckpointPoints& points) {
  if (!points.error.isEmpty()) {
    status_->setText(points.error);
    QMessageBox::warning(this, tr("Import generations"), points.error);
    return;
  }
  points_ = points.points;
  pointsSource_ = points.source;
  auto names = benchmarksOf(points_);
  if (std::find(names.begin(), names.end(), benchmark_) == names.end())
    benchmark_ = names.empty() ? QString() : names.front();
  benchmarkBox_->clear();
  for (const auto& name : names)
    benchmarkBox_->addItem(name.isEmpty() ? tr("(unnamed)") : name, name);
  benchmarkBox_->setCurrentIndex(benchmarkBox_->findData(benchmark_));
  benchmarkBox_->setEnabled(names.size() > 1);
  drawCheckpointCharts();
}

void ChartsView::setBenchmark(const QString& benchmark) {
  benchmark_ = benchmark;
  benchmarkBox_->setCurrentIndex(benchmarkBox_->findData(benchmark));
  drawCheckpointCharts();
}

std::vector<CheckpointPoint> ChartsView::shownPoints() const {
  std::vector<CheckpointPoint> shown;
  for (const auto& point : points_) {
    if (point.benchmark == benchmark_) shown.push_back(point);
  }
  return shown;
}

void ChartsView::drawCheckpointCharts() {
  auto shown = shownPoints();
  QString source = pointsSource_.isEmpty() ? tr("no data yet") : pointsSource_;
  if (!benchmark_.isEmpty()) source = benchmark_ + QStringLiteral(", ") + source;
  SeriesHook hook = [this](QXYSeries* series, const QString& x, const QString& y) {
    attachTooltip(series, x, y);
  };
  std::vector<double> xs, ys;
  for (const auto& point : shown) {
    if (std::isfinite(point.backtracks)) {
      xs.push_back(point.backtracks);
      ys.push_back(point.accuracy);
    }
  }
  correlationLegend_ =
      drawFitChart(correlation_, xs, ys, tr("mean backtracks per sample"),
                   tr("Backtracks vs accuracy across checkpoints (%1)").arg(source), hook);
  xs.clear();
  ys.clear();
  for (const auto& point : shown) {
    if (std::isfinite(point.tokens)) {
      xs.push_back(point.tokens);
      ys.push_back(point.accuracy);
    }
  }
  lengthLegend_ = drawFitChart(length_, xs, ys, tr("mean tokens per sample"),
                               tr("Length vs accuracy across checkpoints (%1)").arg(source), hook);
  drawAccuracy(shown);
  Q_EMIT correlationUpdated();
}

void ChartsView::drawAccuracy(const std::vector<CheckpointPoint>& points) {
  QString source = pointsSource_;
  drawAccuracyChart(
      accuracy_, points,
      [source](std::int64_t runId) {
        return runId == 0 ? source : QStringLiteral("run %1").arg(runId);
      },
      benchmark_.isEmpty() ? tr("Accuracy per checkpoint")
                           : tr("Accuracy per checkpoint (%1)").arg(benchmark_),
      [this](QXYSeries* series, const QString& x, const QString& y) {
        attachTooltip(series, x, y);
      });
}

void ChartsView::importGenerations(const QString& path) {
  status_->setText(tr("Importing and grading %1…").arg(path));
  importJobs_.start(
      [path](const std::atomic<bool>&) { return pointsFromGenerations(path.toStdString()); },
      [this](CheckpointPoints points) {
        setCheckpointPoints(points);
        if (points.samples) Q_EMIT samplesImported(points.samples, points.source);
      });
}

void ChartsView::exportChart(Which which, Format format, const QString& path,
                             const ChartExportOptions& options) {
  QChart* target = chart(which);
  switch (format) {
    case Format::kPng:
      exportChartPng(target, path, options);
      break;
    case Format::kSvg:
      exportChartSvg(target, path, options);
      break;
    case Format::kPdf:
      exportChartPdf(target, path, options);
      break;
    case Format::kCsv:
      switch (which) {
        case Which::kCorrelation:
          exportSeriesCsv(chartSeriesData(target), path, tr("mean_backtracks"), tr("accuracy"));
          break;
        case Which::kLength:
          exportSeriesCsv(chartSeriesData(target), path, tr("mean_tokens"), tr("accuracy"));
          break;
        case Which::kAccuracy:
          exportSeriesCsv(chartSeriesData(target), path, tr("checkpoint"), tr("accuracy"));
          break;
        case Which::kCurves:
          exportSeriesCsv(chartSeriesData(target), path, tr("step"), tr("value"));
          break;
      }
      break;
  }
}

void ChartsView::exportDialog(Which which, Format format) {
  static const char* kFilters[] = {"PNG image (*.png)", "SVG drawing (*.svg)",
                                   "PDF document (*.pdf)", "CSV table (*.csv)"};
  QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QString(),
                                              tr(kFilters[static_cast<int>(format)]));
  if (path.isEmpty()) return;
  try {
    exportChart(which, format, path,
                {.pixels = QSize(exportWidth_->value(), exportHeight_->value()),
                 .dpi = exportDpi_->value()});
    status_->setText(tr("Wrote %1").arg(path));
  } catch (const std::exception& error) {
    QMessageBox::warning(this, tr("Export chart"), QString::fromUtf8(error.what()));
  }
}

}  // namespace astro::gui
