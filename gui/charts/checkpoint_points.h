// The data behind the checkpoint charts (backtracks vs accuracy, length vs accuracy, accuracy per
// checkpoint): one point per run, benchmark and checkpoint. From a run's metrics, in every form
// the pipeline writes them:
//   <stage>/<benchmark>/<checkpoint>/{accuracy,pass@1,mean_backtracks,mean_tokens}  (analyze and
//       evaluate stages, step 0; the checkpoint is the evaluated model's label)
//   analysis/<benchmark>/{accuracy,mean_backtracks,mean_tokens}  (imported runs; step = checkpoint)
//   eval/{accuracy,pass@1,backtracks,mean_tokens}  (one unnamed benchmark; step = checkpoint)
// or from imported generations summarised by core/analysis; and the least-squares line.
#pragma once

#include <QString>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "core/analysis/generation_import.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

inline constexpr const char* kBacktrackMetric = "eval/backtracks";
inline constexpr const char* kAccuracyMetrics[] = {"eval/accuracy", "eval/pass@1"};
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct CheckpointPoint {
  QString label;  // "run 3 step 200", "run 3 · sft", or the imported checkpoint label
  double backtracks = kMissing;  // mean backtracks per sample; NaN when not measured
  double accuracy = kMissing;
  double tokens = kMissing;          // mean tokens per sample; NaN when not measured
  QString benchmark;                 // empty when the metrics name none (eval/*)
  QString checkpoint;                // the bare checkpoint: model label, or the step as text
  std::optional<std::int64_t> step;  // when the checkpoint is a training step
  std::int64_t runId = 0;
};

struct CheckpointPoints {
  QString source;
  std::vector<CheckpointPoint> points;
  QString error;
  // Every imported sample with its statistics, when the points came from generations.
  std::shared_ptr<const std::vector<analysis::ImportedSample>> samples;
};

// Whether a metric name is one of the forms above (the charts read these series).
bool isCheckpointMetric(const std::string& name);
// Collects the checkpoint metrics of each run into points that have an accuracy, ordered by run,
// benchmark, then checkpoint (steps numerically, labels by checkpointLess: base, sft, rl).
std::vector<CheckpointPoint> pointsFromMetrics(const std::vector<MetricSeries>& series);
// Imports, grades (math verifier) and analyses (heuristic detector) a generations JSONL file;
// returns every benchmark's checkpoints. Never throws: errors land in `error`.
CheckpointPoints pointsFromGenerations(const std::filesystem::path& file);
// Natural order of checkpoint labels: digit runs compare as numbers ("rl-20" < "rl-100").
bool naturalLess(const QString& a, const QString& b);
// Named checkpoints in pipeline order: those naming the base policy (or pretraining), then SFT,
// then RL (or GRPO), then the rest; naturalLess within each ("rl-20" < "rl-100").
bool checkpointLess(const QString& a, const QString& b);
// The benchmarks the points hold, in order of first appearance.
std::vector<QString> benchmarksOf(const std::vector<CheckpointPoint>& points);

struct FittedLine {
  double slope = 0.0;
  double intercept = 0.0;
  bool valid = false;  // false with fewer than two distinct x values
};
FittedLine leastSquares(const std::vector<double>& xs, const std::vector<double>& ys);
// Through (backtracks, accuracy).
FittedLine leastSquares(const std::vector<CheckpointPoint>& points);

// Exponential moving average with weight `smoothing` in [0, 1) on the previous value
// (TensorBoard's slider): 0 leaves the values as they are.
std::vector<double> exponentialMovingAverage(const std::vector<double>& values, double smoothing);

}  // namespace astro::gui
