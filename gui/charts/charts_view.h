// The Charts tab: training curves of the selected runs as small multiples (CurvesPanel, one
// chart per metric grouped by stage), and the checkpoint charts side by side with equal room:
// backtracks vs accuracy and length (mean tokens) vs accuracy across checkpoints, each with its
// fitted line and a Pearson legend in the figure's words ("r = -0.71, 95% CI [-0.98, 0.64],
// n = 5"; core/analysis/correlation.h), and accuracy per checkpoint (one line per run), for the
// benchmark chosen in the benchmark box. Data is read on worker threads; every chart exports
// PNG/SVG/PDF/CSV.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "gui/charts/chart_export.h"
#include "gui/charts/checkpoint_points.h"
#include "gui/common/export_progress.h"
#include "gui/common/job_tracker.h"

class QChart;
class QComboBox;
class QLabel;
class QSpinBox;
class QTabWidget;
class QXYSeries;

namespace astro::gui {

class CurvesPanel;

class ChartsView : public QWidget {
  Q_OBJECT
 public:
  enum class Which { kCorrelation, kCurves, kLength, kAccuracy };
  using Format = ChartFormat;

  explicit ChartsView(QWidget* parent = nullptr);

  void setWorkspace(std::filesystem::path folder);
  // Overlays these runs' curves and pairs their eval metrics into the correlation chart.
  void setRuns(std::vector<std::int64_t> runIds);
  void setCheckpointPoints(const CheckpointPoints& points);
  void importGenerations(const QString& path);

  void setSmoothing(double smoothing);  // [0, 0.99], the curves' EMA
  void setLogAxis(bool on);             // the curves' y axes
  // The checkpoint charts; kCurves has no single chart (nullptr): see curvesPanel().
  QChart* chart(Which which) const;
  CurvesPanel* curvesPanel() const { return curves_; }
  QTabWidget* tabs() const { return tabs_; }
  // Every point, of every benchmark; the charts show the chosen benchmark's.
  const std::vector<CheckpointPoint>& checkpointPoints() const { return points_; }
  std::vector<QString> benchmarks() const { return benchmarksOf(points_); }
  QString benchmark() const { return benchmark_; }
  void setBenchmark(const QString& benchmark);
  QComboBox* benchmarkBox() const { return benchmarkBox_; }
  QString correlationLegend() const { return correlationLegend_; }
  QString lengthLegend() const { return lengthLegend_; }
  QString checkpointError() const { return checkpointError_; }
  int curveCount() const;  // run lines over the shown training-curve charts
  // kCurves exports the shown training curves as one figure (PNG/SVG/PDF) or all as CSV.
  // Painted now, encoded when the file is called (on the pool from the Export menus).
  ChartFile chartFile(Which which, Format format, const QString& path,
                      const ChartExportOptions& options = {});
  // chartFile, written to `path` here.
  void exportChart(Which which, Format format, const QString& path,
                   const ChartExportOptions& options = {});
  ExportProgress* exportProgress() const { return exports_; }

 Q_SIGNALS:
  void curvesUpdated();
  void correlationUpdated();
  void samplesImported(std::shared_ptr<const std::vector<analysis::ImportedSample>> samples,
                       const QString& source);

 private:
  QWidget* buildCheckpointTab();
  void loadCheckpointMetrics();
  void drawCheckpointCharts();
  void drawAccuracy(const std::vector<CheckpointPoint>& points);
  std::vector<CheckpointPoint> shownPoints() const;
  void attachTooltip(QXYSeries* series, const QString& xName, const QString& yName);
  void exportDialog(Which which, Format format);
  void showCheckpointError(const QString& text);

  std::filesystem::path workspace_;
  std::vector<std::int64_t> runIds_;
  std::vector<CheckpointPoint> points_;
  QString pointsSource_;
  QString benchmark_;
  QString correlationLegend_;
  QString lengthLegend_;
  QString checkpointError_;
  QTabWidget* tabs_ = nullptr;
  CurvesPanel* curves_ = nullptr;
  QChart* correlation_ = nullptr;
  QChart* length_ = nullptr;
  QChart* accuracy_ = nullptr;
  QComboBox* benchmarkBox_ = nullptr;
  QSpinBox* exportWidth_ = nullptr;
  QSpinBox* exportHeight_ = nullptr;
  QSpinBox* exportDpi_ = nullptr;
  QLabel* status_ = nullptr;
  ExportProgress* exports_ = nullptr;  // checkpoint chart files encoded and written on the pool
  QLabel* error_ = nullptr;
  JobTracker metricJobs_{this};
  JobTracker importJobs_{this};
};

}  // namespace astro::gui
