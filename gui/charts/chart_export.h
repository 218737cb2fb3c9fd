// Export of a Qt chart for papers and slides: PNG at a chosen pixel size and DPI (fonts laid out
// for that DPI, so a 300-DPI figure is sharp, not enlarged), SVG (QSvgGenerator) and PDF
// (QPdfWriter, vector), and the plotted data as CSV (series, x, y). Each throws astro::Error
// naming the file when it cannot be written.
#pragma once

#include <QPointF>
#include <QSize>
#include <QString>
#include <vector>

class QChart;
class QPainter;
class QRectF;
class QSizeF;

namespace astro::gui {

struct ChartSeriesData {
  QString name;
  std::vector<QPointF> points;
};

enum class ChartFormat { kPng, kSvg, kPdf, kCsv };

struct ChartExportOptions {
  QSize pixels{1950, 1200};  // 6.5 x 4 inches at 300 DPI: one column-width figure
  int dpi = 300;
};

void exportChartPng(QChart* chart, const QString& path, const ChartExportOptions& options = {});
void exportChartSvg(QChart* chart, const QString& path, const ChartExportOptions& options = {});
void exportChartPdf(QChart* chart, const QString& path, const ChartExportOptions& options = {});
void exportSeriesCsv(const std::vector<ChartSeriesData>& series, const QString& path,
                     const QString& xName, const QString& yName);
// Lays the chart out at logical `size`, paints it into `painter`'s `target` rectangle, then
// restores its size (figures made of several charts paint each into its cell).
void paintChart(QChart* chart, QPainter& painter, const QSizeF& size, const QRectF& target);
// The points of every QXYSeries in the chart.
std::vector<ChartSeriesData> chartSeriesData(QChart* chart);

}  // namespace astro::gui
