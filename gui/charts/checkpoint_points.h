// The data behind the backtracks-vs-accuracy chart: one point per checkpoint, from a run's
// evaluation metrics (eval/backtracks with eval/accuracy or eval/pass@1 at the same step) or from
// imported generations summarised by core/analysis; and the least-squares line through them.
#pragma once

#include <QString>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/analysis/generation_import.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

inline constexpr const char* kBacktrackMetric = "eval/backtracks";
inline constexpr const char* kAccuracyMetrics[] = {"eval/accuracy", "eval/pass@1"};

struct CheckpointPoint {
  QString label;  // "run 3 step 200", or the imported checkpoint label
  double backtracks = 0.0;
  double accuracy = 0.0;
};

struct CheckpointPoints {
  QString source;
  std::vector<CheckpointPoint> points;
  QString error;
  // Every imported sample with its statistics, when the points came from generations.
  std::shared_ptr<const std::vector<analysis::ImportedSample>> samples;
};

// Pairs the two metrics by step in each series set of one run.
std::vector<CheckpointPoint> pointsFromMetrics(const std::vector<MetricSeries>& series);
// Imports, grades (math verifier) and analyses (heuristic detector) a generations JSONL file;
// returns the first benchmark's checkpoints. Never throws: errors land in `error`.
CheckpointPoints pointsFromGenerations(const std::filesystem::path& file);

struct FittedLine {
  double slope = 0.0;
  double intercept = 0.0;
  bool valid = false;  // false with fewer than two distinct x values
};
FittedLine leastSquares(const std::vector<CheckpointPoint>& points);

// Exponential moving average with weight `smoothing` in [0, 1) on the previous value
// (TensorBoard's slider): 0 leaves the values as they are.
std::vector<double> exponentialMovingAverage(const std::vector<double>& values, double smoothing);

}  // namespace astro::gui
