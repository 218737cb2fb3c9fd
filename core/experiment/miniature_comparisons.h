// The paper's claims in miniature, each as a paired difference in pass@1 on the same held-out
// puzzles (issue #21): ASTRO-SFT over the base, ASTRO-RL over ASTRO-SFT, ASTRO-RL over Direct-RL,
// and Direct-RL over the base. A claim holds only when the 95% paired bootstrap interval of the
// difference lies above 0 (analysis/paired_bootstrap.h): two point estimates a few puzzles apart
// are noise at the held-out sizes a CPU can afford.
#pragma once

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
};

// One paired comparison: `a` minus `b`, one seed. Unavailable (with the reason) when either lacks
// per-problem rates or they cover different numbers of puzzles.
Comparison comparePassAt1(std::string key, std::string claim, const train::EvaluationResult& a,
                          const train::EvaluationResult& b,
                          const analysis::BootstrapOptions& options = {});

// The four claims above, in that order.
std::vector<Comparison> miniatureComparisons(const MiniatureResults& results,
                                             const analysis::BootstrapOptions& options = {});

}  // namespace astro::experiment
