#include "gui/charts/chart_export.h"

#include <QChart>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QXYSeries>

#include "core/base/error.h"
#include "gui/charts/chart_text.h"
#include "gui/common/value_table_model.h"

namespace astro::gui {
namespace {

// Qt lays widgets out in device-independent pixels of 1/96 inch.
constexpr double kLogicalDpi = 96.0;

QSizeF logicalSize(const ChartExportOptions& options) {
  double scale = kLogicalDpi / options.dpi;
  return QSizeF(options.pixels.width() * scale, options.pixels.height() * scale);
}

void requireChart(QChart* chart, const QString& path) {
  if (!chart || !chart->scene()) {
    throw Error(path.toStdString() + ": the chart is not shown in a view, nothing to export");
  }
}

}  // namespace

void paintChart(QChart* chart, QPainter& painter, const QSizeF& size, const QRectF& target) {
  QSizeF original = chart->size();
  QPointF position = chart->pos();
  chart->setPos(0, 0);
  chart->resize(size);
  rewrapChartTexts(chart);  // titles and legends wrap for the figure's width, not the view's
  // Qt Charts lays out on the next event otherwise; the export must see the new geometry now.
  chart->layout()->activate();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  chart->scene()->render(&painter, target, QRectF(QPointF(0, 0), size));
  chart->resize(original);
  chart->setPos(position);
  rewrapChartTexts(chart);
  chart->layout()->activate();
}

void exportChartPng(QChart* chart, const QString& path, const ChartExportOptions& options) {
  requireChart(chart, path);
  QImage image(options.pixels, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  int dotsPerMeter = static_cast<int>(options.dpi / 0.0254 + 0.5);
  image.setDotsPerMeterX(dotsPerMeter);
  image.setDotsPerMeterY(dotsPerMeter);
  {
    QPainter painter(&image);
    paintChart(chart, painter, logicalSize(options), QRectF(QPointF(0, 0), options.pixels));
  }
  if (!image.save(path, "PNG")) throw Error(path.toStdString() + ": cannot write the PNG file");
}

void exportChartSvg(QChart* chart, const QString& path, const ChartExportOptions& options) {
  requireChart(chart, path);
  QSizeF size = logicalSize(options);
  QSvgGenerator generator;
  generator.setFileName(path);
  generator.setSize(size.toSize());
  generator.setViewBox(QRectF(QPointF(0, 0), size));
  generator.setResolution(static_cast<int>(kLogicalDpi));
  generator.setTitle(plainTitle(chart));
  {
    QPainter painter;
    if (!painter.begin(&generator)) throw Error(path.toStdString() + ": cannot write the SVG file");
    paintChart(chart, painter, size, QRectF(QPointF(0, 0), size));
  }
}

void exportChartPdf(QChart* chart, const QString& path, const ChartExportOptions& options) {
  requireChart(chart, path);
  QSizeF size = logicalSize(options);
  QPdfWriter writer(path);
  writer.setResolution(options.dpi);
  writer.setPageSize(
      QPageSize(QSizeF(size.width() * 72.0 / kLogicalDpi, size.height() * 72.0 / kLogicalDpi),
                QPageSize::Point));
  writer.setPageMargins(QMarginsF(0, 0, 0, 0));
  writer.setTitle(plainTitle(chart));
  QPainter painter;
  if (!painter.begin(&writer)) throw Error(path.toStdString() + ": cannot write the PDF file");
  // Vector output: the chart's text and lines stay paths and glyphs, scaled to the page.
  paintChart(chart, painter, size, QRectF(0, 0, writer.width(), writer.height()));
  painter.end();
}

void exportSeriesCsv(const std::vector<ChartSeriesData>& series, const QString& path,
                     const QString& xName, const QString& yName) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    throw Error(path.toStdString() + ": cannot write: " + file.errorString().toStdString());
  }
  QString csv = QStringLiteral("series,%1,%2\r\n").arg(csvField(xName), csvField(yName));
  for (const auto& one : series) {
    for (const auto& point : one.points) {
      csv += QStringLiteral("%1,%2,%3\r\n")
                 .arg(csvField(one.name),
                      QString::number(point.x(), 'g', QLocale::FloatingPointShortest),
                      QString::number(point.y(), 'g', QLocale::FloatingPointShortest));
    }
  }
  file.write(csv.toUtf8());
  if (!file.commit()) throw Error(path.toStdString() + ": cannot write the CSV file");
}

std::vector<ChartSeriesData> chartSeriesData(QChart* chart) {
  std::vector<ChartSeriesData> result;
  for (auto* series : chart->series()) {
    auto* xy = qobject_cast<QXYSeries*>(series);
    if (!xy) continue;
    ChartSeriesData data{.name = xy->name()};
    const auto points = xy->points();
    data.points.assign(points.begin(), points.end());
    result.push_back(std::move(data));
  }
  return result;
}

}  // namespace astro::gui
