// A checkpoint sweep: every saved model of a training run (its checkpoint-<step>/ folders and
// final/) evaluated on one problem set, in training order, each result kept in a folder so a
// rerun evaluates only what is missing; then the correlations across checkpoints of mean
// backtracks and mean length with accuracy (ASTRO, arXiv 2507.00417, Sec. 4: Pearson r > 0.8
// during RL).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/analysis/correlation.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"
#include "core/train/evaluation.h"

namespace astro::train {

struct SweepCheckpoint {
  std::string label;  // "start", "checkpoint-<step>", "final": also the result files' stem
  int step = 0;
  std::filesystem::path model;
};

// The models of a trainer output folder (SFT, GRPO, base pretraining's training/) in training
// order: checkpoint-<step>/ by step (numerically), then final/ unless a checkpoint holds the same
// step (its trainer_state.json); `startModel`, when given, first as step 0 ("start"). A folder
// that is itself a model (config.json, no checkpoints) is one entry labelled "model". Throws
// astro::Error when the folder does not exist or holds no model.
std::vector<SweepCheckpoint> listSweepCheckpoints(const std::filesystem::path& trainerFolder,
                                                  const std::filesystem::path& startModel = {});

struct SweepOptions {
  EvaluationOptions evaluation;
  // <label>.json (summary and what it was computed from) and <label>.jsonl (every sample with
  // its trace statistics) per checkpoint; a result whose inputs match is reused. Empty: none.
  std::filesystem::path resultsDir;
  std::string device = "cpu";
};

struct SweepPoint {
  SweepCheckpoint checkpoint;
  EvaluationResult evaluation;  // samples empty when read back from resultsDir
  bool reused = false;
};

struct SweepCallbacks {
  std::function<void(const SweepCheckpoint&, std::size_t index, std::size_t count)> onStart;
  std::function<void(const EvaluationProgress&)> onProgress;
  std::function<void(const SweepPoint&)> onPoint;
};

std::vector<SweepPoint> sweepCheckpoints(const std::vector<SweepCheckpoint>& checkpoints,
                                         const std::vector<math::Problem>& problems,
                                         const math::Verifier& verifier,
                                         const SweepOptions& options,
                                         const SweepCallbacks& callbacks = {});

// Across the points: Pearson r (Fisher 95% interval, p) of mean backtracks and of mean
// completion tokens against pass@1. r is NaN when a variable is constant or n < 2. With
// `countRestarts`, restarts (returns to the problem) count as backtracks.
// Pearson r with accuracy across the points, and the same after removing each variable's linear
// trend in the checkpoint step (analysis::detrendedPearson): backtracks, length and accuracy can
// all rise with training without being tied to one another (issue #21).
struct SweepCorrelations {
  analysis::Correlation backtracks;
  analysis::Correlation length;
  analysis::Correlation backtracksDetrended;
  analysis::Correlation lengthDetrended;
};
SweepCorrelations correlateSweep(const std::vector<SweepPoint>& points, bool countRestarts = false);

}  // namespace astro::train
