// Reading several runs side by side (run_comparison.h).
#include "core/analysis/run_comparison.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/analysis/checkpoint_summary.h"
#include "core/analysis/imported_run.h"
#include "core/base/error.h"

namespace astro::analysis {

namespace {

bool cancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(); }

// "sft", or "sft #2" for the run's second sft stage: the key stages are matched by across runs.
std::vector<std::string> stageKeys(const std::vector<store::Stage>& stages) {
  std::map<std::string, int> seen;
  std::vector<std::string> keys;
  for (const auto& stage : stages) {
    int count = ++seen[stage.kind];
    keys.push_back(count == 1 ? stage.kind : stage.kind + " #" + std::to_string(count));
  }
  return keys;
}

// The run's pass@1 per (benchmark, checkpoint), in checkpoint_summary.h's order: a native run's
// stored evaluation samples, an imported run's samples file (imported_run.h).
std::vector<CheckpointSummary> evaluationSummaries(store::Workspace& workspace,
                                                   const store::Run& run,
                                                   const BootstrapOptions& bootstrap) {
  std::vector<AnalyzedSample> samples;
  if (run.kind == store::RunKind::kImported) {
    for (auto& sample : loadImportedRun(workspace, run.id).samples) {
      samples.push_back({.problemId = std::move(sample.problemId),
                         .checkpoint = std::move(sample.checkpoint),
                         .benchmark = std::move(sample.benchmark),
                         .stats = {.correct = sample.stats.correct}});
    }
    return samples.empty() ? std::vector<CheckpointSummary>{}
                           : summarize(samples, bootstrap).checkpoints;
  }
  auto stored = workspace.samples().list(run.id, {.kind = store::SampleKind::kEval}, {.limit = -1});
  for (const auto& sample : stored) {
    if (sample.row.sampleIndex < 0) continue;  // the greedy answer is not one of the k samples
    samples.push_back({.problemId = sample.row.problemId,
                       .checkpoint = sample.set.checkpoint,
                       .benchmark = sample.set.benchmark,
                       .stats = {.correct = sample.row.correct}});
  }
  if (samples.empty()) return {};
  return summarize(samples, bootstrap).checkpoints;
}

// Rows of every run's evaluations; a run whose samples cannot be read adds a line to `errors`.
std::vector<EvalRow> evaluationRows(store::Workspace& workspace,
                                    const std::vector<store::Run>& runs,
                                    const std::atomic<bool>* cancel,
                                    const BootstrapOptions& bootstrap, std::string* errors) {
  std::vector<EvalRow> rows;
  std::map<std::pair<std::string, std::string>, std::size_t> rowOf;
  for (std::size_t run = 0; run < runs.size() && !cancelled(cancel); ++run) {
    std::vector<CheckpointSummary> summaries;
    try {
      summaries = evaluationSummaries(workspace, runs[run], bootstrap);
    } catch (const Error& error) {
      *errors += (errors->empty() ? "" : "\n") + std::string(error.what());
    }
    for (const auto& summary : summaries) {
      if (summary.gradedSamples == 0) continue;
      auto [found, inserted] =
          rowOf.try_emplace({summary.benchmark, summary.checkpoint}, rows.size());
      if (inserted) {
        rows.push_back({.benchmark = summary.benchmark,
                        .checkpoint = summary.checkpoint,
                        .runs = std::vector<std::optional<EvalCell>>(runs.size())});
      }
      rows[found->second].runs[run] = EvalCell{.passAt1 = summary.accuracy,
                                               .problems = summary.problems,
                                               .samples = summary.gradedSamples};
    }
  }
  return rows;
}

}  // namespace

std::optional<double> stageSeconds(const store::Stage& stage) {
  if (!stage.started || !stage.finished) return std::nullopt;
  return (store::toMilliseconds(*stage.finished) - store::toMilliseconds(*stage.started)) / 1e3;
}

std::vector<StageTimingRow> alignStages(const std::vector<std::vector<store::Stage>>& runs) {
  std::vector<StageTimingRow> rows;
  for (std::size_t run = 0; run < runs.size(); ++run) {
    auto keys = stageKeys(runs[run]);
    std::size_t insertAt = 0;  // after the row of this run's previous stage
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto found = std::find_if(rows.begin(), rows.end(),
                                [&](const StageTimingRow& row) { return row.stage == keys[i]; });
      if (found == rows.end()) {
        StageTimingRow row{.stage = keys[i],
                           .runs = std::vector<std::optional<store::Stage>>(runs.size())};
        found = rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(insertAt), std::move(row));
      }
      found->runs[run] = runs[run][i];
      insertAt = static_cast<std::size_t>(found - rows.begin()) + 1;
    }
  }
  return rows;
}

RunComparison compareRuns(store::Workspace& workspace, const std::vector<std::int64_t>& runIds,
                          const std::atomic<bool>* cancel, const BootstrapOptions& bootstrap) {
  RunComparison comparison;
  std::vector<std::vector<store::Stage>> stages;
  for (auto runId : runIds) {
    comparison.runs.push_back(workspace.runs().get(runId));
    stages.push_back(workspace.stages().list(runId));
  }
  try {
    std::vector<FlatConfig> configs;
    for (const auto& run : comparison.runs) {
      configs.push_back(flattenConfig(run.config, "run " + std::to_string(run.id) + " config"));
    }
    comparison.config = diffConfigs(configs);
    std::set<std::string> keys;
    for (const auto& config : configs) {
      for (const auto& [key, value] : config) keys.insert(key);
    }
    comparison.configKeys = keys.size();
  } catch (const Error& error) {
    comparison.configError = error.what();
  }
  comparison.stages = alignStages(stages);
  comparison.evaluations =
      evaluationRows(workspace, comparison.runs, cancel, bootstrap, &comparison.evaluationError);
  return comparison;
}

}  // namespace astro::analysis
