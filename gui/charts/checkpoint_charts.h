// Drawing the checkpoint charts into a QChart (the Charts view owns the charts): a scatter of one
// quantity against accuracy with its least-squares line and Pearson statistics in the legend, and
// accuracy per checkpoint, one line per run.
#pragma once

#include <QString>
#include <functional>
#include <vector>

#include "gui/charts/checkpoint_points.h"

class QChart;
class QXYSeries;

namespace astro::gui {

// Called for each series drawn, to attach tooltips: (series, x name, y name).
using SeriesHook = std::function<void(QXYSeries*, const QString&, const QString&)>;

struct FitAxis {
  QString title;     // "mean backtracks per sample"
  QString quantity;  // "backtracks", for "r undefined (no variation in backtracks)"
};

// Scatters (xs[i], ys[i]) as checkpoints, then the fitted line named with the Pearson legend it
// returns (pearson_legend.h). Axes read at any range (axis_ticks.h); an axis whose values are all
// equal is drawn around that value with "(all values = …)" in its title. Title and legend wrap.
QString drawFitChart(QChart* chart, const std::vector<double>& xs, const std::vector<double>& ys,
                     const FitAxis& xAxis, const QString& title, const SeriesHook& hook);

// Accuracy per checkpoint: x is the step when every point has one, else the checkpoint's position
// among all the points' checkpoints (labelled on a category axis). `runName(runId)` names lines.
void drawAccuracyChart(QChart* chart, const std::vector<CheckpointPoint>& points,
                       const std::function<QString(std::int64_t)>& runName, const QString& title,
                       const SeriesHook& hook);

}  // namespace astro::gui
