// One small chart of the training-curve panel: one metric, every selected run's line in the run's
// colour (EMA-smoothed, the raw values faint behind), the metric's own x and y axes with ticks
// that read at any range (axis_ticks.h), a note under it for what the axes cannot say (a
// degenerate axis, runs without logged times), a hover tooltip with run, step and value, and an
// Export menu (PNG, SVG, PDF, CSV of the full-resolution data).
#pragma once

#include <QWidget>

#include "gui/charts/chart_export.h"
#include "gui/charts/curve_plots.h"

class QChart;
class QLabel;
class QLineSeries;
class QXYSeries;

namespace astro::gui {

class MetricChart : public QWidget {
  Q_OBJECT
 public:
  explicit MetricChart(const QString& metric, QWidget* parent = nullptr);

  // Draws `plot`; `plots` gives the x axis (its title, time unit) and keeps the data alive.
  void setPlot(const MetricPlot& plot, const MetricPlots& plots);

  QString metric() const { return metric_; }
  QString stage() const { return plot_.stage; }
  QChart* chart() const { return chart_; }
  QString note() const;  // the text under the chart
  int lineCount() const { return static_cast<int>(plot_.lines.size()); }
  // Every run logged this metric once (a stage's final figure): a compact chart of points.
  bool isSinglePoint() const;
  const MetricPlot& plot() const { return plot_; }
  // The tooltip text for the point of run line `line` nearest to `x` ("run · step · value").
  QString describePoint(int line, double x) const;

  // PNG/SVG/PDF of the chart with its run legend, painted now; CSV of every run's raw and
  // smoothed values at full resolution. Throws astro::Error naming `path`.
  ChartFile exportFile(ChartFormat format, const QString& path,
                       const ChartExportOptions& options = {});
  // exportFile, written to `path` here.
  void exportTo(ChartFormat format, const QString& path, const ChartExportOptions& options = {});

 Q_SIGNALS:
  // The user chose a file in the chart's Export menu: the file is painted, encoding and writing
  // are for the panel's ExportProgress (the pool).
  void exportRequested(const QString& what, const QString& path, const astro::gui::ChartFile& file);
  void exportFailed(const QString& message);

 private:
  // Keeps the axes when `keep` (same kinds), else makes new ones; sets ranges and ticks.
  void setAxes(bool keep);
  void addLines();
  void exportDialog(ChartFormat format);

  struct ChartLine {
    std::int64_t runId = 0;
    QLineSeries* raw = nullptr;  // none when smoothing is 0
    QLineSeries* smoothed = nullptr;
  };

  QString metric_;
  MetricPlot plot_;
  std::vector<ChartLine> lines_;
  std::shared_ptr<const CurveSet> data_;
  PlotOptions options_;
  QString xTitle_;
  QString axisNote_;
  QChart* chart_ = nullptr;
  QLabel* note_ = nullptr;
};

}  // namespace astro::gui
