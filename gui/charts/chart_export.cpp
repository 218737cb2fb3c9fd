// Chart exports (chart_export.h): paint now into an image or an in-memory SVG/PDF, encode later.
#include "gui/charts/chart_export.h"

#include <QBuffer>
#include <QChart>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QXYSeries>

#include "core/base/atomic_file.h"
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

ChartFile pngFile(QImage image, const QString& path) {
  return [image = std::move(image), name = path.toStdString()] {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) throw Error(name + ": cannot encode the PNG image");
    return bytes.toStdString();
  };
}

void setSvgCanvas(QSvgGenerator& generator, QIODevice* device, const QSizeF& logical) {
  generator.setOutputDevice(device);
  generator.setSize(logical.toSize());
  generator.setViewBox(QRectF(QPointF(0, 0), logical));
  generator.setResolution(static_cast<int>(kLogicalDpi));
}

QImage blankImage(const ChartExportOptions& options) {
  QImage image(options.pixels, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  int dotsPerMeter = static_cast<int>(options.dpi / 0.0254 + 0.5);
  image.setDotsPerMeterX(dotsPerMeter);
  image.setDotsPerMeterY(dotsPerMeter);
  return image;
}

void setPdfPage(QPdfWriter& writer, const QSizeF& logical, int dpi) {
  writer.setResolution(dpi);
  writer.setPageSize(QPageSize(
      QSizeF(logical.width() * 72.0 / kLogicalDpi, logical.height() * 72.0 / kLogicalDpi),
      QPageSize::Point));
  writer.setPageMargins(QMarginsF(0, 0, 0, 0));
}

ChartFile paintChartFile(QChart* chart, ChartFormat format, const ChartExportOptions& options,
                         const QString& path) {
  requireChart(chart, path);
  const QSizeF size = logicalSize(options);
  const std::string name = path.toStdString();
  QByteArray bytes;  // SVG and PDF: painted straight into memory
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  switch (format) {
    case ChartFormat::kPng: {
      QImage image = blankImage(options);
      {
        QPainter painter(&image);
        paintChart(chart, painter, size, QRectF(QPointF(0, 0), options.pixels));
      }
      return pngFile(std::move(image), path);
    }
    case ChartFormat::kSvg: {
      QSvgGenerator generator;
      setSvgCanvas(generator, &buffer, size);
      generator.setTitle(plainTitle(chart));
      QPainter painter;
      if (!painter.begin(&generator)) throw Error(name + ": cannot paint the SVG drawing");
      paintChart(chart, painter, size, QRectF(QPointF(0, 0), size));
      painter.end();
      break;
    }
    case ChartFormat::kPdf: {
      QPdfWriter writer(&buffer);
      setPdfPage(writer, size, options.dpi);
      writer.setTitle(plainTitle(chart));
      QPainter painter;
      if (!painter.begin(&writer)) throw Error(name + ": cannot paint the PDF document");
      // Vector output: the chart's text and lines stay paths and glyphs, scaled to the page.
      paintChart(chart, painter, size, QRectF(0, 0, writer.width(), writer.height()));
      painter.end();
      break;
    }
    case ChartFormat::kCsv:
      return seriesCsvFile(chartSeriesData(chart), QStringLiteral("x"), QStringLiteral("y"));
  }
  return [text = bytes.toStdString()] { return text; };
}

ChartFile seriesCsvFile(std::vector<ChartSeriesData> series, QString xName, QString yName) {
  return [series = std::move(series), xName = std::move(xName), yName = std::move(yName)] {
    QString csv = QStringLiteral("series,%1,%2\r\n").arg(csvField(xName), csvField(yName));
    for (const auto& one : series) {
      for (const auto& point : one.points) {
        csv += QStringLiteral("%1,%2,%3\r\n")
                   .arg(csvField(one.name),
                        QString::number(point.x(), 'g', QLocale::FloatingPointShortest),
                        QString::number(point.y(), 'g', QLocale::FloatingPointShortest));
      }
    }
    return csv.toUtf8().toStdString();
  };
}

void writeChartFile(const QString& path, const ChartFile& file) {
  writeFileAtomically(path.toStdString(), file());
}

void exportChartPng(QChart* chart, const QString& path, const ChartExportOptions& options) {
  writeChartFile(path, paintChartFile(chart, ChartFormat::kPng, options, path));
}

void exportChartSvg(QChart* chart, const QString& path, const ChartExportOptions& options) {
  writeChartFile(path, paintChartFile(chart, ChartFormat::kSvg, options, path));
}

void exportChartPdf(QChart* chart, const QString& path, const ChartExportOptions& options) {
  writeChartFile(path, paintChartFile(chart, ChartFormat::kPdf, options, path));
}

void exportSeriesCsv(const std::vector<ChartSeriesData>& series, const QString& path,
                     const QString& xName, const QString& yName) {
  writeChartFile(path, seriesCsvFile(series, xName, yName));
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
