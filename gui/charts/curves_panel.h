// Training curves as small multiples (TensorBoard/W&B style): one chart per metric, grouped by
// stage, each with its own step (or time) axis and y range, every selected run overlaid in its
// studio-wide colour (gui/common/run_colors.h); EMA smoothing with the raw line faint behind; a
// regular-expression filter on metric names; per-chart and whole-panel exports. Curves are read
// and prepared (smoothed, downsampled) on pool threads; a superseded read or preparation is
// dropped; a read error is shown where the charts would be. Embedded by the Charts view and the
// run comparison.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "gui/charts/chart_export.h"
#include "gui/charts/curve_plots.h"
#include "gui/common/export_progress.h"
#include "gui/common/job_tracker.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSlider;

namespace astro::gui {

class CurvesGrid;
class MetricChart;

class CurvesPanel : public QWidget {
  Q_OBJECT
 public:
  explicit CurvesPanel(QWidget* parent = nullptr);

  void setWorkspace(std::filesystem::path folder);
  void setRuns(std::vector<std::int64_t> runIds);

  // Metric-name filter, a regular expression (case-insensitive); an invalid one is reported by
  // filterError() and under the box, and the last valid filter stays applied.
  void setFilter(const QString& pattern);
  QString filterError() const { return filterError_; }
  void setSmoothing(double smoothing);  // [0, 0.99]
  double smoothing() const { return options_.smoothing; }
  void setXAxis(CurveAxis axis);
  CurveAxis xAxis() const { return options_.axis; }
  void setLogY(bool on);
  // Checkpoint metrics (eval/*, <stage>/<benchmark>/<checkpoint>/...) are left to the checkpoint
  // charts unless this is on.
  void setIncludeCheckpointMetrics(bool on);

  QString errorText() const { return errorText_; }
  bool isBusy() const;
  int chartCount() const;       // charts shown (after the filter)
  QStringList metrics() const;  // shown metric names, in display order
  QStringList stages() const;   // shown group headers' stages, in order
  int lineCount() const;        // run lines over the shown charts (raw lines not counted)
  MetricChart* chart(const QString& metric) const;
  const MetricPlots* plots() const { return plots_.get(); }

  // The shown charts as one figure (PNG fills options.pixels; SVG/PDF at the natural size), or
  // for kCsv every shown line's raw points (series "run · metric", step, value): painted now,
  // encoded when the file is called (on the pool from the Export figure menu).
  ChartFile figureFile(ChartFormat format, const QString& path, const ChartExportOptions& options);
  // figureFile, written to `path` here.
  void exportFigure(ChartFormat format, const QString& path, const ChartExportOptions& options);
  void exportCsv(const QString& path);
  ExportProgress* exportProgress() const { return exports_; }
  // The figure's natural size at `dpi` (what the Export figure button writes).
  QSize figurePixels(int dpi) const;

 Q_SIGNALS:
  void curvesUpdated();

 private:
  void buildToolbar();
  void load();
  void prepare();
  void applied();
  void showError(const QString& text);
  void updateStatus();
  void updateLegend();
  void exportFigureDialog(ChartFormat format);

  std::filesystem::path workspace_;
  std::vector<std::int64_t> runIds_;
  bool includeCheckpointMetrics_ = false;
  PlotOptions options_;
  std::shared_ptr<const CurveSet> data_;
  std::shared_ptr<const MetricPlots> plots_;
  QString errorText_;
  QString filterError_;
  QLineEdit* filterEdit_ = nullptr;
  QLabel* filterErrorLabel_ = nullptr;
  QSlider* smoothingSlider_ = nullptr;
  QLabel* smoothingLabel_ = nullptr;
  QComboBox* axisBox_ = nullptr;
  QCheckBox* logToggle_ = nullptr;
  QLabel* legend_ = nullptr;
  QLabel* status_ = nullptr;
  ExportProgress* exports_ = nullptr;  // chart and figure files encoded and written on the pool
  QLabel* errorLabel_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  CurvesGrid* grid_ = nullptr;
  JobTracker readJobs_{this};
  JobTracker prepareJobs_{this};
};

}  // namespace astro::gui
