// Export of a Qt chart for papers and slides: PNG at a chosen pixel size and DPI (fonts laid out
// for that DPI, so a 300-DPI figure is sharp, not enlarged), SVG (QSvgGenerator) and PDF
// (QPdfWriter, vector), and the plotted data as CSV (series, x, y). An export is a ChartFile:
// painted now, on the GUI thread where the chart lives, and encoded later, on any thread, so the
// views hand PNG compression and the write to the pool (gui/common/export_progress.h). Each
// throws astro::Error naming the file when it cannot be painted or written.
#pragma once

#include <QPointF>
#include <QSize>
#include <QString>
#include <functional>
#include <string>
#include <vector>

class QChart;
class QImage;
class QPainter;
class QIODevice;
class QPdfWriter;
class QSvgGenerator;
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

// The file's bytes; may run on any thread once made (it holds copies, not the chart).
using ChartFile = std::function<std::string()>;

// Paints `chart` now as PNG, SVG or PDF (`path` names the file in errors).
ChartFile paintChartFile(QChart* chart, ChartFormat format, const ChartExportOptions& options,
                         const QString& path);
// The series as CSV (series, x, y), formatted when called.
ChartFile seriesCsvFile(std::vector<ChartSeriesData> series, QString xName, QString yName);
// Runs `file` and writes its bytes to `path` atomically, here (for tests and scripts; the views
// write through ExportProgress).
void writeChartFile(const QString& path, const ChartFile& file);
// PNG bytes of `image`, later: compression is the slow part of a PNG export.
ChartFile pngFile(QImage image, const QString& path);
// A PDF page of `logical` size (1/96 inch units) at `dpi`, no margins.
void setPdfPage(QPdfWriter& writer, const QSizeF& logical, int dpi);
// An SVG canvas of `logical` size (1/96 inch units) written to `device`.
void setSvgCanvas(QSvgGenerator& generator, QIODevice* device, const QSizeF& logical);
// A white image of options.pixels that records options.dpi, for a PNG export to paint on.
QImage blankImage(const ChartExportOptions& options);

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
