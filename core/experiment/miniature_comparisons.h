// The paper's claims in miniature, each as a paired difference in pass@1 on the same held-out
// puzzles (issue #21): ASTRO-SFT over the base, ASTRO-RL over ASTRO-SFT, ASTRO-RL over Direct-RL,
// and Direct-RL over the base. A claim holds only when the 95% paired bootstrap interval of the
// difference lies above 0 (analysis/paired_bootstrap.h): two point estimates a few puzzles apart
// are noise at the held-out sizes a CPU can afford.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/paired_bootstrap.h"
#include "core/train/evaluation.h"

namespace astro::experiment {

struct MiniatureResults;

struct Comparison {
  std::string key;    // report.json's name: "astro_rl_minus_direct_rl"
  std::string claim;  // "ASTRO-RL > Direct-RL"
  // Empty when an evaluation holds no per-problem rates (the reason says which).
  std::optional<analysis::PairedDifference> result;
  std::string unavailable;
  bool holds() const { return result && result->difference.low > 0.0; }
  // The report's "hypothesis" flag for it: "astro_rl_above_direct_rl".
  std::string hypothesisKey() const;
};

// One seed's pair of evaluations on the same puzzles: a and b of `a - b`.
struct EvaluationPair {
  const train::EvaluationResult* a = nullptr;
  const train::EvaluationResult* b = nullptr;
};

// One paired comparison, `a` minus `b`, over one or more seeds (puzzles and seeds resampled).
// Unavailable (with the reason) when an evaluation lacks per-problem rates or a pair covers
// different numbers of puzzles.
Comparison comparePassAt1(std::string key, std::string claim,
                          const std::vector<EvaluationPair>& seeds,
                          const analysis::BootstrapOptions& options = {});

// The four claims above, in that order, over every seed's results.
std::vector<Comparison> miniatureComparisons(const std::vector<const MiniatureResults*>& seeds,
                                             const analysis::BootstrapOptions& options = {});

// report.json's entry: {"claim", "difference", "ci_low", "ci_high", "share_at_or_below_zero",
// "seeds", "puzzles", "holds"}, or {"claim", "holds": false, "unavailable"}.
nlohmann::ordered_json comparisonJson(const Comparison& comparison);

// report.md's line: "- ASTRO-RL > Direct-RL: no, difference +0.010, 95% CI [-0.060, 0.080], 3
// seeds, 300 puzzles".
std::string comparisonLine(const Comparison& comparison);

}  // namespace astro::experiment
