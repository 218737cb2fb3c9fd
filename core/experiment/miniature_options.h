// The budgets of the miniature experiment (`astro experiment miniature`): the paper's tables
// (ASTRO, arXiv 2507.00417, Tables 1-2 and the backtrack/accuracy correlations) reproduced on the
// built-in countdown world. Both arms get the same trees, the same SFT options and the same RL
// options; only the SFT data differ (ASTRO traces with detours vs the direct path).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/search/mcts.h"
#include "core/search/sft_export.h"
#include "core/train/base_pretraining.h"
#include "core/train/evaluation.h"
#include "core/train/grpo_options.h"
#include "core/train/prompt_curation.h"
#include "core/train/sft_trainer.h"

namespace astro::experiment {

struct MiniatureOptions {
  std::filesystem::path outputDir;
  bool quick = false;
  std::uint64_t seed = 1;

  // The base policy and the world's splits: BasePretrainingOptions' own defaults (the recipe
  // lives there, not here); its test split is the held-out set every model is evaluated on.
  train::BasePretrainingOptions base;
  // `--unseen-search`: the base trains on none of the search and RL puzzles (the train split's
  // first searchProblems + rlPrompts; base.unseenProblems), so search explores puzzles its policy
  // has never seen, as the paper's policy searches problems it cannot reliably solve. Off by
  // default: the base trains on the whole train split.
  bool unseenSearch = false;

  // MCTS on the first `searchProblems` training puzzles (one tree each, the base policy as the
  // step policy). Budgets of the search itself are MctsOptions (the paper's 32 iterations).
  int searchProblems = 256;
  search::MctsOptions mcts;

  // Procedure cloning of the same trees into both arms' SFT data, with `phrases` (also what
  // the exact detector reads back when GRPO and the evaluations count backtracks).
  // exportOptions.linearize.sequencesPerTree (`--search-traces`, 1 to kMaxSearchTraces) is the
  // number of distinct ASTRO traces per solved tree; each tree gives one Direct trace.
  search::SftExportOptions exportOptions;
  search::PhraseSet phrases;
  // `--mix-direct`: the ASTRO arm also trains on each solved tree's Direct trace (ASTRO Sec. 3.1
  // curates three search traces and one direct trace per problem); the Direct arm is unchanged.
  bool mixDirect = false;
  // `--grounded-reflections` (issue #21): the ASTRO arm's reflections state the check they make
  // ("Wait, is this right? (10-10)*2 = 0, not 18. No. Back to ..."; the countdown domain's
  // ReflectionCheck), so the policy can learn when to go back. Off by default: the paper's
  // reflections state no check.
  bool groundedReflections = false;
  // exportOptions.render.affirmStepsWithQAtLeast (`--affirm-steps` sets -1: every step, since
  // Q >= -1 always): ASTRO Sec. 2.4's affirmative reflection between intermediate steps, so a
  // reflection follows good and bad steps alike and only its verdict tells them apart.

  // SFT of each arm from the base policy (initialModel, data and outputDir are set per arm).
  // When the arms' example counts differ, both take sftStepBudget() optimizer steps.
  train::SftOptions sft;

  // GRPO of each arm from its SFT model on the training puzzles after the searched ones
  // (`rlPrompts` of them, curated by the SFT policy's pass rate when `curate`). initialModel and
  // outputDir are set per arm; every checkpoint is kept for the sweep.
  train::GrpoOptions rl;
  int rlPrompts = 512;
  bool curate = true;
  train::CurationOptions curation;

  // Every model (base, SFT, each RL checkpoint) on the held-out split (its first
  // `heldOutLimit` puzzles; 0: all of them).
  train::EvaluationOptions evaluation;
  int heldOutLimit = 0;

  nlohmann::ordered_json toJson() const;  // the budgets, as the report records them
};

inline constexpr int kMaxSearchTraces = 8;

// Throws UsageError naming the CLI flag of the first option out of range.
void validateMiniatureOptions(const MiniatureOptions& options);

// The SFT optimizer steps both arms take: 0 (each arm's `sft.epochs` decide, as when the arms
// have equal example counts) or, when the counts differ, `sft.epochs` over the larger arm's
// examples, so the smaller arm runs more epochs instead of fewer updates.
int sftStepBudget(int astroExamples, int directExamples, const train::SftOptions& sft);

// SFT from the base policy: a quarter of the base's from-scratch learning rate (fine-tuning
// moves a trained model, it does not build one). The presets' rule, and `--base-lr`'s.
double sftLearningRate(double baseLearningRate);

// `--quick`: a check that the whole loop runs (<= 15 minutes on a quiet 2-core machine).
MiniatureOptions quickMiniatureOptions();
// The run to report (<= 60 minutes on a quiet 2-core machine).
MiniatureOptions fullMiniatureOptions();

}  // namespace astro::experiment
