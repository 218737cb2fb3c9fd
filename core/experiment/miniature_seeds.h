// The miniature experiment over several seeds (issue #21: one run of each arm proves nothing when
// a BLAS kernel alone moves the base policy by 0.07). Seed s runs the whole experiment, base
// pretraining, search, linearization, both arms' SFT and RL and evaluation all reseeded, in
// <out>/seed-<s>/ (resumable like one run); then <out>/report.json and report.md give, per arm
// and stage, the mean pass@1 over seeds with a 95% interval that resamples seeds and then puzzles,
// and each claim as a paired difference over the same seeds and puzzles
// (miniature_comparisons.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/experiment/miniature_experiment.h"

namespace astro::experiment {

struct SeedResults {
  std::uint64_t seed = 0;
  std::filesystem::path folder;  // <out>/seed-<seed>
  MiniatureResults results;
};

// Seeds options.seed, options.seed + 1, ... (`seeds` of them), one after another; each folder
// gets its own report.json and report.md, the output folder the combined ones. Throws UsageError
// when seeds < 2 (one seed is runMiniatureExperiment with the single-run layout).
std::vector<SeedResults> runMiniatureSeeds(const MiniatureOptions& options, int seeds,
                                           const MiniatureCallbacks& callbacks = {});

// {"seeds": [...], "arms": {arm: {stage: {"mean", "ci_low", "ci_high", "per_seed": [...],
//  "mean_backtracks", "behaviour", "failures" (pooled over seeds: behaviourJson and failuresJson,
//  miniature_report.h)}}},
//  "comparisons", "hypothesis", "pearson_backtracks_per_seed",
//  "held_out_problems_per_seed", "seed_reports": [paths]}.
nlohmann::ordered_json multiSeedReportJson(const std::vector<SeedResults>& seeds);
std::string multiSeedReportMarkdown(const std::vector<SeedResults>& seeds);

}  // namespace astro::experiment
