#include "core/experiment/miniature_comparisons.h"

#include <cmath>
#include <functional>

#include "core/analysis/report_tables.h"
#include "core/experiment/miniature_report.h"

namespace astro::experiment {

namespace {

using Json = nlohmann::ordered_json;

Json number(double value) { return std::isfinite(value) ? Json(value) : Json(); }
std::string fixed(double value) { return analysis::formatNumber(value, 3); }

}  // namespace

std::string Comparison::hypothesisKey() const {
  std::string flag = key;
  if (const std::size_t minus = flag.find("_minus_"); minus != std::string::npos) {
    flag.replace(minus, 7, "_above_");
  }
  return flag;
}

Comparison comparePassAt1(std::string key, std::string claim,
                          const std::vector<EvaluationPair>& seeds,
                          const analysis::BootstrapOptions& options) {
  Comparison comparison{.key = std::move(key), .claim = std::move(claim)};
  std::vector<analysis::PairedScores> paired;
  for (const EvaluationPair& seed : seeds) {
    const auto& a = seed.a->problemPassAt1;
    const auto& b = seed.b->problemPassAt1;
    if (a.empty() || b.empty()) {
      comparison.unavailable = "an evaluation kept no per-puzzle pass@1";
      return comparison;
    }
    if (a.size() != b.size()) {
      comparison.unavailable = "the evaluations cover " + std::to_string(a.size()) + " and " +
                               std::to_string(b.size()) + " puzzles";
      return comparison;
    }
    paired.push_back({a, b});
  }
  if (paired.empty()) {
    comparison.unavailable = "no seed";
    return comparison;
  }
  comparison.result = analysis::pairedBootstrapDifference(paired, options);
  return comparison;
}

std::vector<Comparison> miniatureComparisons(const std::vector<const MiniatureResults*>& seeds,
                                             const analysis::BootstrapOptions& options) {
  using Pick = std::function<EvaluationPair(const MiniatureResults&)>;
  const std::tuple<const char*, const char*, Pick> claims[] = {
      {"astro_sft_minus_base", "ASTRO-SFT > base",
       [](const MiniatureResults& r) { return EvaluationPair{&r.astro.sft(), &r.base}; }},
      {"astro_rl_minus_astro_sft", "ASTRO-RL > ASTRO-SFT",
       [](const MiniatureResults& r) { return EvaluationPair{&r.astro.rl(), &r.astro.sft()}; }},
      {"astro_rl_minus_direct_rl", "ASTRO-RL > Direct-RL",
       [](const MiniatureResults& r) { return EvaluationPair{&r.astro.rl(), &r.direct.rl()}; }},
      {"direct_rl_minus_base", "Direct-RL > base",
       [](const MiniatureResults& r) { return EvaluationPair{&r.direct.rl(), &r.base}; }},
  };
  std::vector<Comparison> comparisons;
  for (const auto& [key, claim, pick] : claims) {
    std::vector<EvaluationPair> pairs;
    for (const MiniatureResults* seed : seeds) pairs.push_back(pick(*seed));
    comparisons.push_back(comparePassAt1(key, claim, pairs, options));
  }
  return comparisons;
}

Json comparisonJson(const Comparison& c) {
  if (!c.result) return {{"claim", c.claim}, {"holds", false}, {"unavailable", c.unavailable}};
  const analysis::PairedDifference& d = *c.result;
  return {{"claim", c.claim},
          {"difference", number(d.difference.estimate)},
          {"ci_low", number(d.difference.low)},
          {"ci_high", number(d.difference.high)},
          {"share_at_or_below_zero", d.shareAtOrBelowZero},
          {"seeds", d.seeds},
          {"puzzles", d.puzzles},
          {"holds", c.holds()}};
}

std::string comparisonLine(const Comparison& c) {
  if (!c.result) return "- " + c.claim + ": not computed (" + c.unavailable + ")\n";
  const analysis::Interval& d = c.result->difference;
  const std::string sign = d.estimate >= 0 ? "+" : "";
  std::string line = "- " + c.claim + ": " + (c.holds() ? "yes" : "no") + ", difference " + sign +
                     fixed(d.estimate) + ", 95% CI [" + fixed(d.low) + ", " + fixed(d.high) +
                     "], ";
  if (c.result->seeds > 1) line += std::to_string(c.result->seeds) + " seeds, ";
  return line + std::to_string(c.result->puzzles) + " puzzles\n";
}

}  // namespace astro::experiment
