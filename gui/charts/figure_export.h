// Several charts exported as one figure (the whole training-curve panel): a legend row of
// coloured names on top, then each group's header and its charts in a grid of equal cells. PNG
// fills the requested pixels (the layout scaled uniformly and centred), SVG and PDF are vector at
// the layout's natural size. Throws astro::Error naming the file.
#pragma once

#include <QColor>
#include <QString>
#include <vector>

#include "gui/charts/chart_export.h"

class QChart;

namespace astro::gui {

struct FigureGroup {
  QString title;  // "sft · 3 metrics"
  std::vector<QChart*> charts;
};

struct FigureLegendEntry {
  QString name;
  QColor color;
};

struct FigureLayout {
  int columns = 3;
  QSizeF cell{340, 230};  // logical pixels (1/96 inch) per chart
};

// Paints the figure now (GUI thread) as PNG, SVG or PDF; the bytes come when the file is called.
ChartFile paintFigureFile(const std::vector<FigureGroup>& groups,
                          const std::vector<FigureLegendEntry>& legend, ChartFormat format,
                          const QString& path, const ChartExportOptions& options = {},
                          const FigureLayout& layout = {});
// paintFigureFile, written to `path` here.
void exportFigure(const std::vector<FigureGroup>& groups,
                  const std::vector<FigureLegendEntry>& legend, ChartFormat format,
                  const QString& path, const ChartExportOptions& options = {},
                  const FigureLayout& layout = {});
// The figure's natural size in logical pixels (what SVG and PDF get).
QSizeF figureSize(const std::vector<FigureGroup>& groups, const FigureLayout& layout = {});

}  // namespace astro::gui
