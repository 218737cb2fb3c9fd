#include "gui/charts/checkpoint_points.h"

#include <QRegularExpression>

#include <algorithm>
#include <map>
#include <tuple>

#include "core/analysis/checkpoint_summary.h"
#include "core/analysis/generation_import.h"
#include "core/analysis/heuristic_detector.h"
#include "core/math/math_verifier.h"

namespace astro::gui {
namespace {

enum class Quantity { kNone, kAccuracy, kPassAt1, kBacktracks, kTokens };

Quantity quantityOf(const std::string& leaf, bool evalForm) {
  if (leaf == "accuracy") return Quantity::kAccuracy;
  if (leaf == "pass@1") return Quantity::kPassAt1;
  if (leaf == (evalForm ? "backtracks" : "mean_backtracks")) return Quantity::kBacktracks;
  if (leaf == "mean_tokens") return Quantity::kTokens;
  return Quantity::kNone;
}

std::vector<std::string> splitName(const std::string& name) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (true) {
    std::size_t slash = name.find('/', begin);
    parts.push_back(name.substr(begin, slash - begin));
    if (slash == std::string::npos) return parts;
    begin = slash + 1;
  }
}

// What one metric name says: its benchmark, a named checkpoint (empty when the step is the
// checkpoint) and the quantity.
struct Parsed {
  std::string benchmark;
  std::string checkpoint;
  Quantity quantity = Quantity::kNone;
};

Parsed parse(const std::string& name) {
  auto parts = splitName(name);
  if (parts.size() == 2 && parts[0] == "eval") return {"", "", quantityOf(parts[1], true)};
  if (parts.size() == 3 && parts[0] == "analysis")
    return {parts[1], "", quantityOf(parts[2], false)};
  if (parts.size() == 4 && parts[2] != "pearson" && !parts[1].empty() && !parts[2].empty())
    return {parts[1], parts[2], quantityOf(parts[3], false)};
  return {};
}

struct Slot {
  double values[5] = {kMissing, kMissing, kMissing, kMissing, kMissing};
};

}  // namespace

bool isCheckpointMetric(const std::string& name) { return parse(name).quantity != Quantity::kNone; }

std::vector<CheckpointPoint> pointsFromMetrics(const std::vector<MetricSeries>& series) {
  // (run, benchmark, named checkpoint, step) -> quantities
  std::map<std::tuple<std::int64_t, std::string, std::string, std::int64_t>, Slot> slots;
  for (const auto& one : series) {
    Parsed parsed = parse(one.name);
    if (parsed.quantity == Quantity::kNone) continue;
    for (const auto& point : one.points) {
      std::int64_t step = parsed.checkpoint.empty() ? point.step : 0;
      auto& slot = slots[{one.runId, parsed.benchmark, parsed.checkpoint, step}];
      slot.values[static_cast<int>(parsed.quantity)] = point.value;  // the latest point wins
    }
  }
  std::vector<CheckpointPoint> points;
  for (const auto& [key, slot] : slots) {
    const auto& [runId, benchmark, checkpoint, step] = key;
    double accuracy = slot.values[static_cast<int>(Quantity::kAccuracy)];
    if (std::isnan(accuracy)) accuracy = slot.values[static_cast<int>(Quantity::kPassAt1)];
    if (std::isnan(accuracy)) continue;
    CheckpointPoint point{.backtracks = slot.values[static_cast<int>(Quantity::kBacktracks)],
                          .accuracy = accuracy,
                          .tokens = slot.values[static_cast<int>(Quantity::kTokens)],
                          .benchmark = QString::fromStdString(benchmark),
                          .runId = runId};
    if (checkpoint.empty()) {
      point.step = step;
      point.checkpoint = QString::number(step);
      point.label = QStringLiteral("run %1 step %2").arg(runId).arg(step);
    } else {
      point.checkpoint = QString::fromStdString(checkpoint);
      point.label = QStringLiteral("run %1 · %2").arg(runId).arg(point.checkpoint);
    }
    points.push_back(std::move(point));
  }
  // The map orders steps numerically; named checkpoints go in natural order after them.
  std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
    if (a.runId != b.runId) return a.runId < b.runId;
    if (a.benchmark != b.benchmark) return a.benchmark < b.benchmark;
    if (a.step && b.step) return *a.step < *b.step;
    if (a.step.has_value() != b.step.has_value()) return a.step.has_value();
    return checkpointLess(a.checkpoint, b.checkpoint);
  });
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
    for (const auto& checkpoint : summary.checkpoints) {
      if (checkpoint.gradedSamples == 0) continue;
      CheckpointPoint point{.label = QString::fromStdString(checkpoint.checkpoint),
                            .backtracks = checkpoint.meanBacktracks.estimate,
                            .accuracy = checkpoint.accuracy.estimate,
                            .tokens = checkpoint.meanTokens.estimate,
                            .benchmark = QString::fromStdString(checkpoint.benchmark),
                            .checkpoint = QString::fromStdString(checkpoint.checkpoint)};
      bool isStep = false;
      qlonglong step = point.checkpoint.toLongLong(&isStep);
      if (isStep) point.step = step;
      result.points.push_back(std::move(point));
    }
    if (result.points.empty()) result.error = result.source + QStringLiteral(": no graded samples");
  } catch (const std::exception& error) {
    result.error = QString::fromStdString(error.what());
  }
  return result;
}

namespace {

// A named checkpoint's place in the pipeline: the base policy, then SFT, then RL, then the rest.
int pipelineRank(const QString& checkpoint) {
  const QString name = checkpoint.toLower();
  auto names = [&](const char* stage) {
    return QRegularExpression(QStringLiteral("(^|[^a-z])%1([^a-z]|$)").arg(QLatin1String(stage)))
        .match(name)
        .hasMatch();
  };
  if (names("base") || names("pretrain")) return 0;
  if (names("sft")) return 1;
  if (names("rl") || names("grpo")) return 2;
  return 3;
}

}  // namespace

bool checkpointLess(const QString& a, const QString& b) {
  int rankA = pipelineRank(a), rankB = pipelineRank(b);
  if (rankA != rankB) return rankA < rankB;
  return naturalLess(a, b);
}

bool naturalLess(const QString& a, const QString& b) {
  qsizetype i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].isDigit() && b[j].isDigit()) {
      qsizetype endA = i, endB = j;
      while (endA < a.size() && a[endA].isDigit()) ++endA;
      while (endB < b.size() && b[endB].isDigit()) ++endB;
      // Compare the runs as numbers: strip leading zeros, then length, then digits.
      QStringView numberA = QStringView(a).mid(i, endA - i),
                  numberB = QStringView(b).mid(j, endB - j);
      while (numberA.size() > 1 && numberA.front() == u'0') numberA = numberA.mid(1);
      while (numberB.size() > 1 && numberB.front() == u'0') numberB = numberB.mid(1);
      if (numberA.size() != numberB.size()) return numberA.size() < numberB.size();
      if (int order = numberA.compare(numberB); order != 0) return order < 0;
      i = endA;
      j = endB;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

std::vector<QString> benchmarksOf(const std::vector<CheckpointPoint>& points) {
  std::vector<QString> names;
  for (const auto& point : points) {
    if (std::find(names.begin(), names.end(), point.benchmark) == names.end())
      names.push_back(point.benchmark);
  }
  return names;
}

FittedLine leastSquares(const std::vector<double>& xs, const std::vector<double>& ys) {
  FittedLine line;
  std::size_t n = std::min(xs.size(), ys.size());
  if (n < 2) return line;
  double meanX = 0, meanY = 0;
  for (std::size_t i = 0; i < n; ++i) {
    meanX += xs[i];
    meanY += ys[i];
  }
  meanX /= n;
  meanY /= n;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (xs[i] - meanX) * (xs[i] - meanX);
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
  }
  if (sxx <= 0) return line;
  line.slope = sxy / sxx;
  line.intercept = meanY - line.slope * meanX;
  line.valid = true;
  return line;
}

FittedLine leastSquares(const std::vector<CheckpointPoint>& points) {
  std::vector<double> xs, ys;
  for (const auto& point : points) {
    xs.push_back(point.backtracks);
    ys.push_back(point.accuracy);
  }
  return leastSquares(xs, ys);
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
