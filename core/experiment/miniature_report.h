// The miniature experiment's results and their two renderings: report.json (for scripts and the
// lead's checks) and report.md (the paper's tables in miniature). Pure: no training, no files.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/answer_failure.h"
#include "core/analysis/backtrack_behaviour.h"
#include "core/train/checkpoint_sweep.h"
#include "core/train/evaluation.h"

namespace astro::experiment {

// One GRPO step as the trainer reported it (GrpoStepMetrics, the fields the tables show).
struct RlStepRecord {
  int step = 0;
  double reward = 0;
  double responseLength = 0;
  double backtracks = 0;
  double zeroVarianceGroups = 0;
  double kl = 0;
  double entropy = 0;
  double clipFraction = 0;
  double seconds = 0;
};

struct ArmResults {
  int sftExamples = 0;
  bool sftSkipped = false;  // no SFT data (search solved nothing): "sft" is the base policy
  int sftSteps = 0;         // SFT optimizer steps (0: skipped, or finished by a repair)
  double sftFinalLoss = 0;
  int offeredPrompts = 0;  // RL prompts before curation
  int keptPrompts = 0;     // after curation (all offered when curation kept none)
  bool curationFellBack = false;
  std::vector<RlStepRecord> rlSteps;
  // The SFT model ("start", step 0) and every RL checkpoint on the held-out split; the first is
  // the SFT result, the last the RL result.
  std::vector<train::SweepPoint> checkpoints;
  train::SweepCorrelations correlations;  // across `checkpoints`

  const train::EvaluationResult& sft() const;
  const train::EvaluationResult& rl() const;
};

struct MiniatureResults {
  nlohmann::ordered_json options;  // MiniatureOptions::toJson()
  int heldOutProblems = 0;
  train::EvaluationResult base;
  int searchedProblems = 0;
  int solvedTrees = 0;
  nlohmann::ordered_json dataset;  // SftExporter::report(): both arms' dataset tables
  ArmResults astro;
  ArmResults direct;
  train::SweepCorrelations pooled;  // both arms' checkpoints together
  // Per stage in the order the stages first ran, summed over every invocation that did work.
  std::vector<std::pair<std::string, double>> stageSeconds;
};

// {"arms": {"astro": {"base", "sft", "rl"}, "direct": {...}} (pass@1 on the held-out split),
//  "pearson": {"backtracks", "length"} (the ASTRO arm's checkpoints, as the paper reports them:
//  {"n", "r", "ci_low", "ci_high", "p_value"}, null where undefined), "pearson_by_arm",
//  "details" per arm (greedy, length, backtracks, behaviourJson and failuresJson per stage and
//  checkpoint;
//  RL steps; checkpoints), "search",
//  "dataset", "hypothesis" (each claim true only when its paired interval is above 0),
//  "comparisons" (miniature_comparisons.h: difference, ci_low, ci_high, share_at_or_below_zero,
//  puzzles, holds), "options", "seconds"}.
nlohmann::ordered_json miniatureReportJson(const MiniatureResults& results);

// The behaviour of one evaluation's sampled answers (analysis/backtrack_behaviour.h):
// {"returns_per_answer", "wrong_branch_share", "recovery_rate", "returns",
//  "returns_after_wrong_branch", "answers_with_return", "recovered_answers"}, a rate null where
// undefined (no returns); null as a whole when the evaluation did not keep it.
nlohmann::ordered_json behaviourJson(const std::optional<analysis::BacktrackBehaviour>& behaviour);
// The same as markdown cells: "| 0.750 | 0.667 (2 of 3) | 0.500 (1 of 2) |", "n/a" where
// undefined or not kept.
std::string behaviourCells(const std::optional<analysis::BacktrackBehaviour>& behaviour);

// Why the sampled answers are wrong (analysis/answer_failure.h): {"answers", "wrong",
// "invalid_step", "wrong_answer", "no_answer", "invalid_step_share"} (the share of wrong answers,
// null without one); null as a whole when the evaluation did not keep the counts.
nlohmann::ordered_json failuresJson(const std::optional<analysis::AnswerFailures>& failures);
// The same as the markdown cells after behaviourCells: " 0.920 (92 of 100) | 0.060 (6 of 100) |",
// the shares of the wrong answers with an invalid step and with only valid steps; n/a where there
// is none or the evaluation did not keep them.
std::string failureCells(const std::optional<analysis::AnswerFailures>& failures);
// The header and rule of a behaviour table: arm, stage, behaviourCells, failureCells.
std::string behaviourTableHeader();

// The tables: accuracy per arm and stage; response length and backtracks during RL; the
// checkpoint sweep; backtrack behaviour per arm and stage; the Pearson correlations with n and
// 95% intervals; the hypothesis checked.
std::string miniatureReportMarkdown(const MiniatureResults& results);

}  // namespace astro::experiment
