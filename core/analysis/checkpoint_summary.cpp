#include "core/analysis/checkpoint_summary.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>

namespace astro::analysis {

namespace {

struct ProblemTotals {
  int samples = 0;
  int graded = 0;
  int correct = 0;
  double backtracks = 0;
  double tokens = 0;
};

bool isInteger(const std::string& text, long long* value) {
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

// First-appearance order of the distinct values of `key`.
template <typename Key>
std::vector<std::string> orderOfAppearance(const std::vector<AnalyzedSample>& samples, Key key) {
  std::vector<std::string> order;
  std::unordered_map<std::string, int> seen;
  for (const auto& sample : samples) {
    if (seen.emplace(key(sample), 0).second) order.push_back(key(sample));
  }
  return order;
}

CheckpointSummary summarizeGroup(const std::vector<const AnalyzedSample*>& group,
                                 const BootstrapOptions& bootstrap) {
  CheckpointSummary summary;
  std::unordered_map<std::string, ProblemTotals> byProblem;
  std::vector<std::string> problemOrder;
  std::vector<double> sampleBacktracks;
  std::vector<bool> sampleCorrect;
  double steps = 0, reflections = 0, restarts = 0;
  for (const AnalyzedSample* sample : group) {
    auto [it, inserted] = byProblem.try_emplace(sample->problemId);
    if (inserted) problemOrder.push_back(sample->problemId);
    ProblemTotals& totals = it->second;
    const TraceStats& stats = sample->stats;
    ++totals.samples;
    totals.backtracks += stats.backtracks;
    totals.tokens += static_cast<double>(stats.tokens);
    if (stats.correct) {
      ++totals.graded;
      totals.correct += *stats.correct;
      sampleBacktracks.push_back(stats.backtracks);
      sampleCorrect.push_back(*stats.correct);
    }
    steps += stats.steps;
    reflections += stats.reflections;
    restarts += stats.restarts;
  }
  std::vector<double> accuracy, backtracks, tokens;
  for (const std::string& id : problemOrder) {
    const ProblemTotals& totals = byProblem[id];
    backtracks.push_back(totals.backtracks / totals.samples);
    tokens.push_back(totals.tokens / totals.samples);
    if (totals.graded > 0) accuracy.push_back(static_cast<double>(totals.correct) / totals.graded);
  }
  summary.problems = static_cast<int>(problemOrder.size());
  summary.samples = static_cast<int>(group.size());
  summary.gradedSamples = static_cast<int>(sampleCorrect.size());
  summary.accuracy = bootstrapMean(accuracy, bootstrap);
  summary.meanBacktracks = bootstrapMean(backtracks, bootstrap);
  summary.meanTokens = bootstrapMean(tokens, bootstrap);
  double n = std::max<double>(1, static_cast<double>(group.size()));
  summary.meanSteps = steps / n;
  summary.meanReflections = reflections / n;
  summary.meanRestarts = restarts / n;
  summary.backtracksVsCorrect = pointBiserial(sampleBacktracks, sampleCorrect);
  return summary;
}

}  // namespace

AnalysisSummary summarize(const std::vector<AnalyzedSample>& samples,
                          const BootstrapOptions& bootstrap) {
  AnalysisSummary result;
  std::vector<std::string> checkpoints =
      orderOfAppearance(samples, [](const AnalyzedSample& s) { return s.checkpoint; });
  long long unused = 0;
  if (std::all_of(checkpoints.begin(), checkpoints.end(),
                  [&](const std::string& c) { return isInteger(c, &unused); })) {
    std::sort(
        checkpoints.begin(), checkpoints.end(),
        [](const std::string& a, const std::string& b) { return std::stoll(a) < std::stoll(b); });
  }
  std::vector<std::string> benchmarks =
      orderOfAppearance(samples, [](const AnalyzedSample& s) { return s.benchmark; });
  std::map<std::pair<std::string, std::string>, std::vector<const AnalyzedSample*>> groups;
  for (const auto& sample : samples)
    groups[{sample.benchmark, sample.checkpoint}].push_back(&sample);

  for (const std::string& benchmark : benchmarks) {
    std::vector<double> accuracy, backtracks, tokens;
    for (const std::string& checkpoint : checkpoints) {
      auto found = groups.find({benchmark, checkpoint});
      if (found == groups.end()) continue;
      CheckpointSummary summary = summarizeGroup(found->second, bootstrap);
      summary.checkpoint = checkpoint;
      summary.benchmark = benchmark;
      if (summary.gradedSamples > 0) {
        accuracy.push_back(summary.accuracy.estimate);
        backtracks.push_back(summary.meanBacktracks.estimate);
        tokens.push_back(summary.meanTokens.estimate);
      }
      result.checkpoints.push_back(std::move(summary));
    }
    for (auto [name, values] :
         {std::pair{"mean_backtracks", &backtracks}, std::pair{"mean_tokens", &tokens}}) {
      CheckpointCorrelation row;
      row.benchmark = benchmark;
      row.variable = name;
      row.checkpoints = static_cast<int>(values->size());
      row.pearson = pearson(*values, accuracy);
      row.spearman = spearman(*values, accuracy);
      result.correlations.push_back(std::move(row));
    }
  }
  return result;
}

}  // namespace astro::analysis
