#include "core/experiment/miniature_comparisons.h"

#include "core/experiment/miniature_report.h"

namespace astro::experiment {

Comparison comparePassAt1(std::string key, std::string claim, const train::EvaluationResult& a,
                          const train::EvaluationResult& b,
                          const analysis::BootstrapOptions& options) {
  Comparison comparison{.key = std::move(key), .claim = std::move(claim)};
  if (a.problemPassAt1.empty() || b.problemPassAt1.empty()) {
    comparison.unavailable = "an evaluation kept no per-puzzle pass@1";
  } else if (a.problemPassAt1.size() != b.problemPassAt1.size()) {
    comparison.unavailable = "the evaluations cover " + std::to_string(a.problemPassAt1.size()) +
                             " and " + std::to_string(b.problemPassAt1.size()) + " puzzles";
  } else {
    comparison.result =
        analysis::pairedBootstrapDifference({{a.problemPassAt1, b.problemPassAt1}}, options);
  }
  return comparison;
}

std::vector<Comparison> miniatureComparisons(const MiniatureResults& r,
                                             const analysis::BootstrapOptions& options) {
  return {
      comparePassAt1("astro_sft_minus_base", "ASTRO-SFT > base", r.astro.sft(), r.base, options),
      comparePassAt1("astro_rl_minus_astro_sft", "ASTRO-RL > ASTRO-SFT", r.astro.rl(),
                     r.astro.sft(), options),
      comparePassAt1("astro_rl_minus_direct_rl", "ASTRO-RL > Direct-RL", r.astro.rl(),
                     r.direct.rl(), options),
      comparePassAt1("direct_rl_minus_base", "Direct-RL > base", r.direct.rl(), r.base, options),
  };
}

}  // namespace astro::experiment
