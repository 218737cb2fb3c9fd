// Statistics over many samples: per checkpoint and benchmark the accuracy (pass@1 averaged over
// the k samples of each problem), mean backtracks and mean length with seeded bootstrap 95%
// intervals over problems; per benchmark, across checkpoints, Pearson and Spearman correlations
// of mean backtracks and mean length with accuracy (ASTRO, arXiv 2507.00417, reports Pearson r of
// 0.816/0.851/0.854 for backtracks and 0.858/0.836/0.833 for length on MATH-500/AMC 2023/AIME
// 2024); per sample, the point-biserial correlation of backtracks with correctness.
#pragma once

#include <string>
#include <vector>

#include "core/analysis/bootstrap.h"
#include "core/analysis/correlation.h"
#include "core/analysis/trace_stats.h"

namespace astro::analysis {

struct AnalyzedSample {
  std::string problemId;
  std::string checkpoint;  // e.g. a training step; "" is its own checkpoint
  std::string benchmark;
  TraceStats stats;
};

struct CheckpointSummary {
  std::string checkpoint;
  std::string benchmark;
  int problems = 0;  // distinct problem ids
  int samples = 0;
  int gradedSamples = 0;    // samples with a verdict (accuracy uses only these)
  Interval accuracy;        // mean over graded problems of (correct samples / graded samples)
  Interval meanBacktracks;  // mean over problems of the per-problem mean
  Interval meanTokens;
  double meanSteps = 0.0;
  double meanReflections = 0.0;
  double meanRestarts = 0.0;
  Correlation backtracksVsCorrect;  // point-biserial over graded samples
};

struct CheckpointCorrelation {
  std::string benchmark;
  std::string variable;  // "mean_backtracks" or "mean_tokens", each against accuracy
  int checkpoints = 0;
  Correlation pearson;
  Correlation spearman;
};

struct AnalysisSummary {
  std::vector<CheckpointSummary> checkpoints;  // benchmark by benchmark, checkpoints in order
  std::vector<CheckpointCorrelation> correlations;
};

// Checkpoints are ordered numerically when every label is an integer (training steps), else in
// order of first appearance; benchmarks in order of first appearance.
AnalysisSummary summarize(const std::vector<AnalyzedSample>& samples,
                          const BootstrapOptions& bootstrap = {});

}  // namespace astro::analysis
