// Export of several charts as one figure (figure_export.h).
#include "gui/charts/figure_export.h"

#include <QBuffer>
#include <QChart>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <cmath>

#include "core/base/error.h"

namespace astro::gui {
namespace {

constexpr double kLegendHeight = 30.0;
constexpr double kHeaderHeight = 28.0;

int rowsOf(const FigureGroup& group, int columns) {
  int count = static_cast<int>(group.charts.size());
  return (count + columns - 1) / columns;
}

void paintLegend(QPainter& painter, const std::vector<FigureLegendEntry>& legend, double width) {
  QFont font = painter.font();
  font.setPixelSize(13);
  painter.setFont(font);
  QFontMetricsF metrics(font);
  double x = 8;
  for (const auto& entry : legend) {
    double textWidth = metrics.horizontalAdvance(entry.name);
    if (x + 22 + textWidth > width && x > 8) break;  // what does not fit is named in the charts
    painter.fillRect(QRectF(x, kLegendHeight / 2 - 2, 16, 4), entry.color);
    painter.setPen(Qt::black);
    painter.drawText(QRectF(x + 20, 0, textWidth + 2, kLegendHeight), Qt::AlignVCenter, entry.name);
    x += 20 + textWidth + 18;
  }
}

// Paints the whole figure at its natural size into `painter` (already scaled to the device).
void paintFigure(QPainter& painter, const std::vector<FigureGroup>& groups,
                 const std::vector<FigureLegendEntry>& legend, const FigureLayout& layout) {
  QSizeF size = figureSize(groups, layout);
  painter.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
  paintLegend(painter, legend, size.width());
  double top = kLegendHeight;
  for (const auto& group : groups) {
    QFont font = painter.font();
    font.setPixelSize(15);
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(Qt::black);
    painter.drawText(QRectF(8, top, size.width() - 16, kHeaderHeight), Qt::AlignVCenter,
                     group.title);
    top += kHeaderHeight;
    for (std::size_t i = 0; i < group.charts.size(); ++i) {
      int column = static_cast<int>(i) % layout.columns;
      int row = static_cast<int>(i) / layout.columns;
      QRectF cell(QPointF(column * layout.cell.width(), top + row * layout.cell.height()),
                  layout.cell);
      paintChart(group.charts[i], painter, layout.cell, cell);
    }
    top += rowsOf(group, layout.columns) * layout.cell.height();
  }
}

void requireCharts(const std::vector<FigureGroup>& groups, const QString& path) {
  for (const auto& group : groups) {
    for (auto* chart : group.charts) {
      if (!chart || !chart->scene()) {
        throw Error(path.toStdString() + ": a chart of the figure is not shown in a view");
      }
    }
  }
}

}  // namespace

QSizeF figureSize(const std::vector<FigureGroup>& groups, const FigureLayout& layout) {
  double height = kLegendHeight;
  for (const auto& group : groups) {
    height += kHeaderHeight + rowsOf(group, layout.columns) * layout.cell.height();
  }
  return QSizeF(layout.columns * layout.cell.width(), height);
}

ChartFile paintFigureFile(const std::vector<FigureGroup>& groups,
                          const std::vector<FigureLegendEntry>& legend, ChartFormat format,
                          const QString& path, const ChartExportOptions& options,
                          const FigureLayout& layout) {
  requireCharts(groups, path);
  const QSizeF size = figureSize(groups, layout);
  const std::string name = path.toStdString();
  QByteArray bytes;  // SVG and PDF: painted straight into memory
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QPainter painter;
  switch (format) {
    case ChartFormat::kPng: {
      QImage image = blankImage(options);
      painter.begin(&image);
      double scale =
          std::min(options.pixels.width() / size.width(), options.pixels.height() / size.height());
      painter.translate((options.pixels.width() - size.width() * scale) / 2,
                        (options.pixels.height() - size.height() * scale) / 2);
      painter.scale(scale, scale);
      paintFigure(painter, groups, legend, layout);
      painter.end();
      return pngFile(std::move(image), path);
    }
    case ChartFormat::kSvg: {
      QSvgGenerator generator;
      setSvgCanvas(generator, &buffer, size);
      if (!painter.begin(&generator)) throw Error(name + ": cannot paint the SVG drawing");
      paintFigure(painter, groups, legend, layout);
      painter.end();
      break;
    }
    case ChartFormat::kPdf: {
      QPdfWriter writer(&buffer);
      setPdfPage(writer, size, options.dpi);
      if (!painter.begin(&writer)) throw Error(name + ": cannot paint the PDF document");
      painter.scale(writer.width() / size.width(), writer.height() / size.height());
      paintFigure(painter, groups, legend, layout);
      painter.end();
      break;
    }
    case ChartFormat::kCsv:
      throw Error(name + ": a figure exports as PNG, SVG or PDF; CSV is per chart");
  }
  return [text = bytes.toStdString()] { return text; };
}

void exportFigure(const std::vector<FigureGroup>& groups,
                  const std::vector<FigureLegendEntry>& legend, ChartFormat format,
                  const QString& path, const ChartExportOptions& options,
                  const FigureLayout& layout) {
  writeChartFile(path, paintFigureFile(groups, legend, format, path, options, layout));
}

}  // namespace astro::gui
