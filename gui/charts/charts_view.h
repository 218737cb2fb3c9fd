// Charts: backtracks vs accuracy and length (mean tokens) vs accuracy across checkpoints, each with
// the fitted line and Pearson r, its 95% interval and p in the legend
// (core/analysis/correlation.h), and accuracy per checkpoint (one line per run), for the benchmark
// chosen in the benchmark box; training curves of the selected runs from the MetricRepository
// (several runs overlaid) with EMA smoothing and a log-axis toggle; tooltips with exact values.
// Data is read on worker threads; every chart exports PNG/SVG/PDF/CSV.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "gui/charts/chart_export.h"
#include "gui/charts/checkpoint_points.h"
#include "gui/common/job_tracker.h"

class QChart;
class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QListView;
class QSlider;
class QStandardItemModel;
class QSpinBox;
class QXYSeries;

namespace astro::gui {

class ChartsView : public QWidget {
  Q_OBJECT
 public:
  enum class Which { kCorrelation, kCurves, kLength, kAccuracy };
  enum class Format { kPng, kSvg, kPdf, kCsv };

  explicit ChartsView(QWidget* parent = nullptr);

  void setWorkspace(std::filesystem::path folder);
  // Overlays these runs' curves and pairs their eval metrics into the correlation chart.
  void setRuns(std::vector<std::int64_t> runIds);
  void setCheckpointPoints(const CheckpointPoints& points);
  void importGenerations(const QString& path);

  void setSmoothing(double smoothing);  // [0, 0.99]
  void setLogAxis(bool on);
  QChart* chart(Which which) const;
  QStandardItemModel* metricModel() const { return metricNames_; }
  // Every point, of every benchmark; the charts show the chosen benchmark's.
  const std::vector<CheckpointPoint>& checkpointPoints() const { return points_; }
  std::vector<QString> benchmarks() const { return benchmarksOf(points_); }
  QString benchmark() const { return benchmark_; }
  void setBenchmark(const QString& benchmark);
  QComboBox* benchmarkBox() const { return benchmarkBox_; }
  QString correlationLegend() const { return correlationLegend_; }
  QString lengthLegend() const { return lengthLegend_; }
  int curveCount() const;
  void exportChart(Which which, Format format, const QString& path,
                   const ChartExportOptions& options = {});

 Q_SIGNALS:
  void curvesUpdated();
  void correlationUpdated();
  void samplesImported(std::shared_ptr<const std::vector<analysis::ImportedSample>> samples,
                       const QString& source);

 private:
  void loadCurves();
  void drawCurves();
  void drawCheckpointCharts();
  void drawAccuracy(const std::vector<CheckpointPoint>& points);
  std::vector<CheckpointPoint> shownPoints() const;
  void attachTooltip(QXYSeries* series, const QString& xName, const QString& yName);
  void exportDialog(Which which, Format format);

  std::filesystem::path workspace_;
  std::vector<std::int64_t> runIds_;
  std::vector<MetricSeries> series_;
  std::vector<std::string> allNames_;
  std::vector<CheckpointPoint> points_;
  QString pointsSource_;
  QString benchmark_;
  QString correlationLegend_;
  QString lengthLegend_;
  double smoothing_ = 0.6;
  bool logAxis_ = false;
  QChart* correlation_ = nullptr;
  QChart* curves_ = nullptr;
  QChart* length_ = nullptr;
  QChart* accuracy_ = nullptr;
  QComboBox* benchmarkBox_ = nullptr;
  QChartView* correlationView_ = nullptr;
  QChartView* curvesView_ = nullptr;
  QStandardItemModel* metricNames_ = nullptr;
  QSlider* smoothingSlider_ = nullptr;
  QCheckBox* logToggle_ = nullptr;
  QSpinBox* exportWidth_ = nullptr;
  QSpinBox* exportHeight_ = nullptr;
  QSpinBox* exportDpi_ = nullptr;
  QLabel* status_ = nullptr;
  JobTracker namesJobs_{this};
  JobTracker seriesJobs_{this};
  JobTracker importJobs_{this};
  bool updatingNames_ = false;
};

}  // namespace astro::gui
