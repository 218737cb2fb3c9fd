// The Charts tab (charts_view.h).
#include "gui/charts/charts_view.h"

#include <QChart>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QXYSeries>
#include <cmath>

#include "gui/charts/chart_text.h"
#include "gui/charts/checkpoint_charts.h"
#include "gui/charts/curves_panel.h"
#include "gui/common/error_label.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {
namespace {

struct CheckpointSeries {
  std::vector<MetricSeries> series;
  QString error;
};

// The runs' checkpoint metrics (eval/*, analyze and evaluate stages' per-checkpoint values).
CheckpointSeries readCheckpointSeries(const std::filesystem::path& folder,
                                      const std::vector<std::int64_t>& runIds) {
  try {
    std::vector<std::string> names;
    for (auto& name : readMetricNames(folder, runIds)) {
      if (isCheckpointMetric(name)) names.push_back(std::move(name));
    }
    return {.series = readMetricSeries(folder, runIds, names)};
  } catch (const std::exception& error) {
    return {.error = QObject::tr("Cannot read the runs' evaluation metrics: %1")
                         .arg(QString::fromUtf8(error.what()))};
  }
}

QChart* addChartView(QWidget* parent, QHBoxLayout* row, const char* name) {
  auto* chart = new QChart();
  auto* view = new WrappingChartView(chart, parent);
  view->setObjectName(name);
  view->setMinimumWidth(260);
  row->addWidget(view, 1);  // equal room for the three
  return chart;
}

}  // namespace

ChartsView::ChartsView(QWidget* parent) : QWidget(parent) {
  setObjectName("chartsView");
  auto* layout = new QVBoxLayout(this);
  tabs_ = new QTabWidget(this);
  tabs_->setObjectName("chartTabs");
  tabs_->setDocumentMode(true);
  layout->addWidget(tabs_, 1);
  curves_ = new CurvesPanel(tabs_);
  connect(curves_, &CurvesPanel::curvesUpdated, this, &ChartsView::curvesUpdated);
  tabs_->addTab(curves_, tr("Training curves"));
  tabs_->addTab(buildCheckpointTab(), tr("Checkpoints"));
  drawCheckpointCharts();
}

QWidget* ChartsView::buildCheckpointTab() {
  auto* tab = new QWidget(tabs_);
  auto* layout = new QVBoxLayout(tab);
  auto* controls = new QHBoxLayout();
  layout->addLayout(controls);
  controls->addWidget(new QLabel(tr("Benchmark"), tab));
  benchmarkBox_ = new QComboBox(tab);
  benchmarkBox_->setObjectName("benchmarkBox");
  benchmarkBox_->setEnabled(false);
  benchmarkBox_->setMinimumContentsLength(12);
  connect(benchmarkBox_, &QComboBox::activated, this,
          [this](int index) { setBenchmark(benchmarkBox_->itemData(index).toString()); });
  controls->addWidget(benchmarkBox_);
  controls->addSpacing(20);
  controls->addWidget(new QLabel(tr("Export px"), tab));
  exportWidth_ = new QSpinBox(tab);
  exportWidth_->setRange(200, 12000);
  exportWidth_->setValue(ChartExportOptions{}.pixels.width());
  exportHeight_ = new QSpinBox(tab);
  exportHeight_->setRange(150, 12000);
  exportHeight_->setValue(ChartExportOptions{}.pixels.height());
  exportDpi_ = new QSpinBox(tab);
  exportDpi_->setRange(72, 1200);
  exportDpi_->setValue(ChartExportOptions{}.dpi);
  exportDpi_->setSuffix(tr(" dpi"));
  controls->addWidget(exportWidth_);
  controls->addWidget(new QLabel(QStringLiteral("×"), tab));
  controls->addWidget(exportHeight_);
  controls->addWidget(exportDpi_);
  for (auto [which, title] : {std::pair{Which::kCorrelation, tr("Export backtracks")},
                              std::pair{Which::kLength, tr("Export length")},
                              std::pair{Which::kAccuracy, tr("Export accuracy")}}) {
    auto* button = new QToolButton(tab);
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
  controls->addStretch(1);
  error_ = createErrorLabel(tab, "checkpointError");
  layout->addWidget(error_);
  auto* row = new QHBoxLayout();
  layout->addLayout(row, 1);
  correlation_ = addChartView(tab, row, "correlationChart");
  length_ = addChartView(tab, row, "lengthChart");
  accuracy_ = addChartView(tab, row, "accuracyChart");
  status_ = new QLabel(tab);
  status_->setObjectName("checkpointStatus");
  status_->setWordWrap(true);
  layout->addWidget(status_);
  exports_ = new ExportProgress(tab);
  layout->addWidget(exports_);
  connect(exports_, &ExportProgress::finished, this,
          [this](const QString& path, const QString& error) {
            if (error.isEmpty()) {
              status_->setText(tr("Wrote %1").arg(path));
            } else {
              showCheckpointError(error);
            }
          });
  return tab;
}

void ChartsView::setWorkspace(std::filesystem::path folder) {
  workspace_ = folder;
  runIds_.clear();
  curves_->setWorkspace(std::move(folder));
  setRuns({});
}

void ChartsView::setRuns(std::vector<std::int64_t> runIds) {
  runIds_ = runIds;
  curves_->setRuns(std::move(runIds));
  loadCheckpointMetrics();
}

void ChartsView::loadCheckpointMetrics() {
  auto folder = workspace_;
  auto ids = runIds_;
  metricJobs_.start(
      [folder, ids](const std::atomic<bool>&) { return readCheckpointSeries(folder, ids); },
      [this](CheckpointSeries read) {
        showCheckpointError(read.error);
        if (!read.error.isEmpty()) return;
        auto points = pointsFromMetrics(read.series);
        if (!points.empty() || pointsSource_.startsWith(QLatin1String("runs"))) {
          setCheckpointPoints({.source = tr("runs' eval metrics"), .points = points});
        }
      });
}

void ChartsView::showCheckpointError(const QString& text) {
  checkpointError_ = text;
  setErrorText(error_, text);
}

void ChartsView::setSmoothing(double smoothing) { curves_->setSmoothing(smoothing); }

void ChartsView::setLogAxis(bool on) { curves_->setLogY(on); }

int ChartsView::curveCount() const { return curves_->lineCount(); }

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
  return nullptr;
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

void ChartsView::setCheckpointPoints(const CheckpointPoints& points) {
  if (!points.error.isEmpty()) {
    showCheckpointError(points.error);  // where the charts are, not in a modal box
    tabs_->setCurrentIndex(1);
    return;
  }
  showCheckpointError({});
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
      drawFitChart(correlation_, xs, ys,
                   {.title = tr("mean backtracks per sample"), .quantity = tr("backtracks")},
                   tr("Backtracks vs accuracy across checkpoints (%1)").arg(source), hook);
  xs.clear();
  ys.clear();
  for (const auto& point : shown) {
    if (std::isfinite(point.tokens)) {
      xs.push_back(point.tokens);
      ys.push_back(point.accuracy);
    }
  }
  lengthLegend_ = drawFitChart(length_, xs, ys,
                               {.title = tr("mean tokens per sample"), .quantity = tr("length")},
                               tr("Length vs accuracy across checkpoints (%1)").arg(source), hook);
  drawAccuracy(shown);
  status_->setText(tr("%1 checkpoints of %2").arg(shown.size()).arg(source));
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

ChartFile ChartsView::chartFile(Which which, Format format, const QString& path,
                                const ChartExportOptions& options) {
  if (which == Which::kCurves) return curves_->figureFile(format, path, options);
  QChart* target = chart(which);
  if (format != Format::kCsv) return paintChartFile(target, format, options, path);
  QString x = which == Which::kCorrelation ? tr("mean_backtracks")
              : which == Which::kLength    ? tr("mean_tokens")
                                           : tr("checkpoint");
  return seriesCsvFile(chartSeriesData(target), x, tr("accuracy"));
}

void ChartsView::exportChart(Which which, Format format, const QString& path,
                             const ChartExportOptions& options) {
  writeChartFile(path, chartFile(which, format, path, options));
}

void ChartsView::exportDialog(Which which, Format format) {
  static const char* kFilters[] = {"PNG image (*.png)", "SVG drawing (*.svg)",
                                   "PDF document (*.pdf)", "CSV table (*.csv)"};
  QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QString(),
                                              tr(kFilters[static_cast<int>(format)]));
  if (path.isEmpty()) return;
  try {
    ChartFile file = chartFile(which, format, path,
                               {.pixels = QSize(exportWidth_->value(), exportHeight_->value()),
                                .dpi = exportDpi_->value()});
    exports_->start(tr("chart"), path, [file](const std::atomic<bool>&) { return file(); });
  } catch (const std::exception& error) {
    showCheckpointError(QString::fromUtf8(error.what()));
  }
}

}  // namespace astro::gui
