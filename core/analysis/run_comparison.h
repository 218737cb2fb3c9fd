// Several runs of a workspace side by side, as the studio's Compare view shows them: the config
// keys whose values differ, each stage's start, end, duration and status, and the evaluation
// table (benchmark x checkpoint, pass@1 with its 95% interval). Read through core/store's
// repositories; value structs only.
//
// The interval is checkpoint_summary.h's, over the run's stored evaluation samples (the greedy
// answers left out; an imported run's samples file, imported_run.h): pass@1 is the mean over
// problems of correct / sampled, with the seeded percentile bootstrap over problems that `astro
// analyze`, the analyze stage and the charts use.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/bootstrap.h"
#include "core/analysis/config_diff.h"
#include "core/store/workspace.h"

namespace astro::analysis {

struct StageTimingRow {
  std::string stage;  // the stage kind; "evaluate #2" for a kind's second stage in a run
  std::vector<std::optional<store::Stage>> runs;  // one per run; nullopt: the run has none
};

struct EvalCell {
  Interval passAt1;
  int problems = 0;
  int samples = 0;  // graded samples, the greedy answers left out
};

struct EvalRow {
  std::string benchmark;
  std::string checkpoint;  // the evaluated model's label ("base", "sft", "rl")
  std::vector<std::optional<EvalCell>> runs;
};

struct RunComparison {
  std::vector<store::Run> runs;  // in the order asked for
  std::vector<ConfigDiffRow> config;
  std::size_t configKeys = 0;  // distinct keys over all the configs, equal or not
  std::string configError;     // a config that does not parse: the diff is left empty
  std::vector<StageTimingRow> stages;
  std::vector<EvalRow> evaluations;
  // An imported run whose samples file is gone: one line per such run; the others are shown.
  std::string evaluationError;
};

// Seconds from start to finish; nullopt until both are known.
std::optional<double> stageSeconds(const store::Stage& stage);

// Stage rows in pipeline order: a stage of one run that others lack goes after the stage it
// follows in that run.
std::vector<StageTimingRow> alignStages(const std::vector<std::vector<store::Stage>>& runs);

// Throws astro::Error for a run that is not in the workspace (or whatever the store throws);
// returns early with what it has when `cancel` is raised.
RunComparison compareRuns(store::Workspace& workspace, const std::vector<std::int64_t>& runIds,
                          const std::atomic<bool>* cancel = nullptr,
                          const BootstrapOptions& bootstrap = {});

}  // namespace astro::analysis
