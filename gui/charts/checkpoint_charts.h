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

// Scatters (xs[i], ys[i]) as "checkpoints", then the fitted line named with the legend it
// returns: "fit; Pearson r = …, 95% CI […, …], p = …, n = …".
QString drawFitChart(QChart* chart, const std::vector<double>& xs, const std::vector<double>& ys,
                     const QString& xTitle, const QString& title, const SeriesHook& hook);

// Accuracy per checkpoint: x is the step when every point has one, else the checkpoint's position
// among all the points' checkpoints (labelled on a category axis). `runName(runId)` names lines.
void drawAccuracyChart(QChart* chart, const std::vector<CheckpointPoint>& points,
                       const std::function<QString(std::int64_t)>& runName, const QString& title,
                       const SeriesHook& hook);

}  // namespace astro::gui
