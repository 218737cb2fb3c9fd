// The training-curve panel (curves_panel.h).
#include "gui/charts/curves_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollArea>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>
#include <map>

#include "gui/charts/curves_grid.h"
#include "gui/charts/figure_export.h"
#include "gui/charts/metric_chart.h"
#include "gui/common/error_label.h"
#include "gui/common/run_colors.h"

namespace astro::gui {

CurvesPanel::CurvesPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("curvesPanel");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  buildToolbar();
  filterErrorLabel_ = createErrorLabel(this, "filterError");
  layout->addWidget(filterErrorLabel_);
  legend_ = new QLabel(this);
  legend_->setObjectName("runLegend");
  legend_->setWordWrap(true);
  layout->addWidget(legend_);
  errorLabel_ = createErrorLabel(this, "curvesError");
  errorLabel_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  layout->addWidget(errorLabel_, 1);
  scroll_ = new QScrollArea(this);
  scroll_->setObjectName("curvesScroll");
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  grid_ = new CurvesGrid(scroll_);
  scroll_->setWidget(grid_);
  layout->addWidget(scroll_, 1);
  connect(grid_, &CurvesGrid::applied, this, &CurvesPanel::applied);
  connect(grid_, &CurvesGrid::chartExportRequested, this,
          [this](const QString& what, const QString& path, const ChartFile& file) {
            exports_->start(what, path, [file](const std::atomic<bool>&) { return file(); });
          });
  connect(grid_, &CurvesGrid::chartExportFailed, status_, &QLabel::setText);
  connect(exports_, &ExportProgress::finished, this,
          [this](const QString& path, const QString& error) {
            status_->setText(error.isEmpty() ? tr("Wrote %1").arg(path) : error);
          });
  updateStatus();
}

void CurvesPanel::buildToolbar() {
  auto* bar = new QHBoxLayout();
  static_cast<QVBoxLayout*>(layout())->addLayout(bar);
  filterEdit_ = new QLineEdit(this);
  filterEdit_->setObjectName("metricFilter");
  filterEdit_->setPlaceholderText(tr("Filter metrics (regular expression), e.g. loss|reward"));
  filterEdit_->setClearButtonEnabled(true);
  filterEdit_->setMinimumWidth(220);
  connect(filterEdit_, &QLineEdit::textChanged, this, &CurvesPanel::setFilter);
  bar->addWidget(filterEdit_, 2);
  bar->addWidget(new QLabel(tr("EMA"), this));
  smoothingSlider_ = new QSlider(Qt::Horizontal, this);
  smoothingSlider_->setObjectName("emaSlider");
  smoothingSlider_->setRange(0, 99);
  smoothingSlider_->setValue(static_cast<int>(options_.smoothing * 100));
  smoothingSlider_->setMaximumWidth(140);
  connect(smoothingSlider_, &QSlider::valueChanged, this,
          [this](int value) { setSmoothing(value / 100.0); });
  bar->addWidget(smoothingSlider_, 1);
  smoothingLabel_ = new QLabel(this);
  smoothingLabel_->setMinimumWidth(32);
  bar->addWidget(smoothingLabel_);
  bar->addWidget(new QLabel(tr("x axis"), this));
  axisBox_ = new QComboBox(this);
  axisBox_->setObjectName("curveAxis");
  axisBox_->addItem(tr("Step"), static_cast<int>(CurveAxis::kStep));
  axisBox_->addItem(tr("Relative time"), static_cast<int>(CurveAxis::kRelativeTime));
  axisBox_->addItem(tr("Wall clock"), static_cast<int>(CurveAxis::kWallClock));
  connect(axisBox_, &QComboBox::activated, this, [this](int index) {
    setXAxis(static_cast<CurveAxis>(axisBox_->itemData(index).toInt()));
  });
  bar->addWidget(axisBox_);
  logToggle_ = new QCheckBox(tr("Log y"), this);
  connect(logToggle_, &QCheckBox::toggled, this, &CurvesPanel::setLogY);
  bar->addWidget(logToggle_);
  auto* exportButton = new QToolButton(this);
  exportButton->setObjectName("exportFigure");
  exportButton->setText(tr("Export figure"));
  exportButton->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(exportButton);
  for (auto [format, name] : {std::pair{ChartFormat::kPng, tr("PNG…")},
                              {ChartFormat::kSvg, tr("SVG…")},
                              {ChartFormat::kPdf, tr("PDF…")},
                              {ChartFormat::kCsv, tr("All curves as CSV…")}}) {
    menu->addAction(name, this, [this, format] { exportFigureDialog(format); });
  }
  exportButton->setMenu(menu);
  bar->addWidget(exportButton);
  status_ = new QLabel(this);
  status_->setObjectName("curvesStatus");
  bar->addWidget(status_, 2);
  exports_ = new ExportProgress(this);
  bar->addWidget(exports_, 2);
}

void CurvesPanel::setWorkspace(std::filesystem::path folder) {
  workspace_ = std::move(folder);
  setRuns(runIds_);
}

void CurvesPanel::setRuns(std::vector<std::int64_t> runIds) {
  runIds_ = std::move(runIds);
  load();
}

void CurvesPanel::load() {
  prepareJobs_.cancelCurrent();
  auto folder = workspace_;
  auto ids = runIds_;
  CurveReadOptions read{.withTimes = options_.axis != CurveAxis::kStep,
                        .includeCheckpointMetrics = includeCheckpointMetrics_};
  readJobs_.start(
      [folder, ids, read](const std::atomic<bool>& cancel) {
        return std::make_shared<const CurveSet>(readCurveSet(folder, ids, read, cancel));
      },
      [this](std::shared_ptr<const CurveSet> data) {
        showError(data->error);
        data_ = std::move(data);
        updateLegend();
        prepare();
      });
  updateStatus();
}

void CurvesPanel::prepare() {
  if (!data_) return;
  auto data = data_;
  auto options = options_;
  prepareJobs_.start(
      [data, options](const std::atomic<bool>& cancel) {
        return std::make_shared<const MetricPlots>(prepareMetricPlots(data, options, cancel));
      },
      [this](std::shared_ptr<const MetricPlots> plots) {
        plots_ = plots;
        grid_->showPlots(std::move(plots));
        updateStatus();
      });
  updateStatus();
}

void CurvesPanel::applied() {
  updateStatus();
  Q_EMIT curvesUpdated();
}

void CurvesPanel::showError(const QString& text) {
  errorText_ = text;
  setErrorText(errorLabel_, text);
  // The error stands where the charts would be, not beside stale ones.
  scroll_->setVisible(text.isEmpty());
}

void CurvesPanel::setFilter(const QString& pattern) {
  if (filterEdit_->text() != pattern) filterEdit_->setText(pattern);  // comes back here
  QRegularExpression filter(pattern, QRegularExpression::CaseInsensitiveOption);
  if (!filter.isValid()) {
    filterError_ = tr("Invalid regular expression at character %1: %2")
                       .arg(filter.patternErrorOffset())
                       .arg(filter.errorString());
    setErrorText(filterErrorLabel_, filterError_);
    filterEdit_->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #b00020; }"));
    return;
  }
  filterError_.clear();
  setErrorText(filterErrorLabel_, {});
  filterEdit_->setStyleSheet({});
  grid_->setFilter(filter);
  updateStatus();
}

void CurvesPanel::setSmoothing(double smoothing) {
  options_.smoothing = std::clamp(smoothing, 0.0, 0.99);
  int slider = static_cast<int>(std::lround(options_.smoothing * 100));
  if (smoothingSlider_->value() != slider) smoothingSlider_->setValue(slider);
  prepare();
}

void CurvesPanel::setXAxis(CurveAxis axis) {
  options_.axis = axis;
  axisBox_->setCurrentIndex(axisBox_->findData(static_cast<int>(axis)));
  // Times come from the event logs, read only when first asked for.
  if (axis != CurveAxis::kStep && data_ && !data_->timesRead) {
    load();
  } else {
    prepare();
  }
}

void CurvesPanel::setLogY(bool on) {
  options_.logY = on;
  if (logToggle_->isChecked() != on) logToggle_->setChecked(on);
  prepare();
}

void CurvesPanel::setIncludeCheckpointMetrics(bool on) {
  if (includeCheckpointMetrics_ == on) return;
  includeCheckpointMetrics_ = on;
  load();
}

bool CurvesPanel::isBusy() const {
  return readJobs_.isRunning() || prepareJobs_.isRunning() || grid_->isApplying();
}

int CurvesPanel::chartCount() const { return grid_->visibleChartCount(); }
QStringList CurvesPanel::metrics() const { return grid_->visibleMetrics(); }
QStringList CurvesPanel::stages() const { return grid_->visibleStages(); }
MetricChart* CurvesPanel::chart(const QString& metric) const { return grid_->chartFor(metric); }

int CurvesPanel::lineCount() const {
  int lines = 0;
  for (const auto& metric : grid_->visibleMetrics()) lines += grid_->chartFor(metric)->lineCount();
  return lines;
}

void CurvesPanel::updateStatus() {
  smoothingLabel_->setText(QString::number(options_.smoothing, 'f', 2));
  QString text;
  if (runIds_.empty()) {
    text = tr("Select runs in the workspace panel.");
  } else if (readJobs_.isRunning()) {
    text = runIds_.size() == 1 ? tr("Reading the curves of 1 run…")
                               : tr("Reading the curves of %1 runs…").arg(runIds_.size());
  } else if (plots_ && plots_->metrics.empty() && errorText_.isEmpty()) {
    text = tr("These runs have logged no training metrics yet.");
  } else if (plots_) {
    text = tr("%1 of %2 metrics").arg(grid_->visibleChartCount()).arg(plots_->metrics.size());
    if (isBusy()) text += tr(" · drawing…");
  }
  status_->setText(text);
}

void CurvesPanel::updateLegend() {
  // One entry per run, in its colour: the small charts carry no legend of their own.
  QStringList entries;
  std::vector<std::int64_t> seen;
  for (const auto& curve : data_->curves) {
    if (std::find(seen.begin(), seen.end(), curve.runId) != seen.end()) continue;
    seen.push_back(curve.runId);
    entries << QStringLiteral("<span style='color:%1'>&#9632;</span>&nbsp;%2")
                   .arg(runColor(curve.runId).name(), curve.runName.toHtmlEscaped());
  }
  legend_->setText(entries.join(QStringLiteral(" &nbsp;&nbsp; ")));
  legend_->setVisible(!entries.isEmpty());
}

namespace {

// The grid's columns, or fewer when no group fills them: the figure has no empty column.
FigureLayout layoutFor(const std::vector<FigureGroup>& groups, int columns) {
  std::size_t widest = 1;
  for (const auto& group : groups) widest = std::max(widest, group.charts.size());
  return {.columns = std::min(columns, static_cast<int>(widest))};
}

}  // namespace

QSize CurvesPanel::figurePixels(int dpi) const {
  auto groups = grid_->figureGroups();
  QSizeF size = figureSize(groups, layoutFor(groups, grid_->columns()));
  return (size * (dpi / 96.0)).toSize();
}

ChartFile CurvesPanel::figureFile(ChartFormat format, const QString& path,
                                  const ChartExportOptions& options) {
  if (format == ChartFormat::kCsv) {
    std::vector<ChartSeriesData> series;
    for (const auto& metric : grid_->visibleMetrics()) {
      for (const auto& line : grid_->chartFor(metric)->plot().lines) {
        ChartSeriesData one{.name = line.runName + QStringLiteral(" · ") + metric};
        for (std::size_t i = 0; i < line.curve->steps.size(); ++i) {
          one.points.emplace_back(static_cast<double>(line.curve->steps[i]),
                                  line.curve->values[i]);
        }
        series.push_back(std::move(one));
      }
    }
    return seriesCsvFile(std::move(series), tr("step"), tr("value"));
  }
  std::vector<FigureLegendEntry> legend;
  if (data_) {
    for (const auto& curve : data_->curves) {
      bool seen = std::any_of(legend.begin(), legend.end(), [&](const FigureLegendEntry& entry) {
        return entry.color == runColor(curve.runId) && entry.name == curve.runName;
      });
      if (!seen) legend.push_back({curve.runName, runColor(curve.runId)});
    }
  }
  auto groups = grid_->figureGroups();
  return paintFigureFile(groups, legend, format, path, options,
                         layoutFor(groups, grid_->columns()));
}

void CurvesPanel::exportFigure(ChartFormat format, const QString& path,
                               const ChartExportOptions& options) {
  writeChartFile(path, figureFile(format, path, options));
}

void CurvesPanel::exportCsv(const QString& path) { exportFigure(ChartFormat::kCsv, path, {}); }

void CurvesPanel::exportFigureDialog(ChartFormat format) {
  static const char* kFilters[] = {"PNG image (*.png)", "SVG drawing (*.svg)",
                                   "PDF document (*.pdf)", "CSV table (*.csv)"};
  QString path = QFileDialog::getSaveFileName(this, tr("Export training curves"), QString(),
                                              tr(kFilters[static_cast<int>(format)]));
  if (path.isEmpty()) return;
  try {
    constexpr int kDpi = 300;
    ChartFile file = figureFile(format, path, {.pixels = figurePixels(kDpi), .dpi = kDpi});
    exports_->start(tr("training curves"), path,
                    [file](const std::atomic<bool>&) { return file(); });
  } catch (const std::exception& error) {
    status_->setText(QString::fromUtf8(error.what()));
  }
}

}  // namespace astro::gui
