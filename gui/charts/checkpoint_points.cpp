#include "gui/charts/checkpoint_points.h"

#include <map>

#include "core/analysis/checkpoint_summary.h"
#include "core/analysis/generation_import.h"
#include "core/analysis/heuristic_detector.h"
#include "core/math/math_verifier.h"

namespace astro::gui {

std::vector<CheckpointPoint> pointsFromMetrics(const std::vector<MetricSeries>& series) {
  // run -> step -> (backtracks, accuracy)
  std::map<std::int64_t, std::map<std::int64_t, std::pair<double, double>>> byRun;
  std::map<std::int64_t, std::map<std::int64_t, int>> seen;  // bit 1: backtracks, 2: accuracy
  for (const auto& one : series) {
    bool isBacktracks = one.name == kBacktrackMetric;
    bool isAccuracy = one.name == kAccuracyMetrics[0] || one.name == kAccuracyMetrics[1];
    if (!isBacktracks && !isAccuracy) continue;
    for (const auto& point : one.points) {
      auto& pair = byRun[one.runId][point.step];
      auto& mask = seen[one.runId][point.step];
      if (isBacktracks) {
        pair.first = point.value;
        mask |= 1;
      } else if (!(mask & 2)) {  // eval/accuracy wins over eval/pass@1 (read first)
        pair.second = point.value;
        mask |= 2;
      }
    }
  }
  std::vector<CheckpointPoint> points;
  for (const auto& [runId, steps] : byRun) {
    for (const auto& [step, pair] : steps) {
      if (seen[runId][step] != 3) continue;
      points.push_back({.label = QStringLiteral("run %1 step %2").arg(runId).arg(step),
                        .backtracks = pair.first,
                        .accuracy = pair.second});
    }
  }
  return points;
}

CheckpointPoints pointsFromGenerations(const std::filesystem::path& file) {
  CheckpointPoints result{.source = QString::fromStdString(file.filename().string())};
  try {
    math::MathVerifier verifier;
    auto imported = analysis::importGenerations(file, &verifier);
    analysis::HeuristicDetector detector;
    auto samples = analysis::analyzeImport(imported, detector, 2);
    auto summary = analysis::summarize(samples);
    result.samples =
        std::make_shared<const std::vector<analysis::ImportedSample>>(std::move(imported.samples));
    if (summary.checkpoints.empty()) {
      result.error = result.source + QStringLiteral(": no graded samples");
      return result;
    }
    const std::string& benchmark = summary.checkpoints.front().benchmark;
    result.source += QStringLiteral(" (%1)").arg(QString::fromStdString(benchmark));
    for (const auto& checkpoint : summary.checkpoints) {
      if (checkpoint.benchmark != benchmark || checkpoint.gradedSamples == 0) continue;
      result.points.push_back({.label = QString::fromStdString(checkpoint.checkpoint),
                               .backtracks = checkpoint.meanBacktracks.estimate,
                               .accuracy = checkpoint.accuracy.estimate});
    }
  } catch (const std::exception& error) {
    result.error = QString::fromStdString(error.what());
  }
  return result;
}

FittedLine leastSquares(const std::vector<CheckpointPoint>& points) {
  FittedLine line;
  if (points.size() < 2) return line;
  double meanX = 0, meanY = 0;
  for (const auto& point : points) {
    meanX += point.backtracks;
    meanY += point.accuracy;
  }
  meanX /= points.size();
  meanY /= points.size();
  double sxx = 0, sxy = 0;
  for (const auto& point : points) {
    sxx += (point.backtracks - meanX) * (point.backtracks - meanX);
    sxy += (point.backtracks - meanX) * (point.accuracy - meanY);
  }
  if (sxx <= 0) return line;
  line.slope = sxy / sxx;
  line.intercept = meanY - line.slope * meanX;
  line.valid = true;
  return line;
}

std::vector<double> exponentialMovingAverage(const std::vector<double>& values, double smoothing) {
  std::vector<double> smoothed;
  smoothed.reserve(values.size());
  double last = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    last = i == 0 ? values[i] : smoothing * last + (1.0 - smoothing) * values[i];
    smoothed.push_back(last);
  }
  return smoothed;
}

}  // namespace astro::gui
