#include "core/experiment/miniature_seeds.h"

#include <cmath>
#include <optional>

#include "core/analysis/paired_bootstrap.h"
#include "core/analysis/report_tables.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/experiment/miniature_comparisons.h"

namespace astro::experiment {

namespace {

using Json = nlohmann::ordered_json;

Json number(double value) { return std::isfinite(value) ? Json(value) : Json(); }
std::string fixed(double value) { return analysis::formatNumber(value, 3); }

const char* const kStages[] = {"base", "sft", "rl"};

const train::EvaluationResult& stageOf(const MiniatureResults& r, const ArmResults& arm,
                                       const std::string& stage) {
  if (stage == "base") return r.base;
  return stage == "sft" ? arm.sft() : arm.rl();
}

// One arm and stage across seeds: the mean of per-seed pass@1 and its seed-then-puzzle interval.
struct StageSummary {
  std::vector<double> perSeed;
  analysis::Interval interval{NAN, NAN, NAN};
  double meanBacktracks = 0;  // backtracks + restarts per response, averaged over seeds
  // Counts summed over seeds (so seeds weigh by their answers and returns); nullopt when a seed's
  // evaluation did not keep them.
  std::optional<analysis::BacktrackBehaviour> behaviour = analysis::BacktrackBehaviour{};
  std::optional<analysis::AnswerFailures> failures = analysis::AnswerFailures{};
  std::string unavailable;
};

// Pools one seed's counts into `sum`; a seed without them makes the pool unavailable.
template <class Counts>
void addOrUnavailable(std::optional<Counts>& sum, const std::optional<Counts>& seed) {
  if (sum && seed) {
    *sum += *seed;
  } else {
    sum.reset();
  }
}

StageSummary summarize(const std::vector<SeedResults>& seeds, bool astroArm,
                       const std::string& stage) {
  StageSummary summary;
  std::vector<std::vector<double>> puzzles;
  for (const SeedResults& seed : seeds) {
    const ArmResults& arm = astroArm ? seed.results.astro : seed.results.direct;
    const train::EvaluationResult& e = stageOf(seed.results, arm, stage);
    summary.perSeed.push_back(e.passAt1);
    summary.meanBacktracks += (e.meanBacktracks + e.meanRestarts) / double(seeds.size());
    addOrUnavailable(summary.behaviour, e.behaviour);
    addOrUnavailable(summary.failures, e.failures);
    if (e.problemPassAt1.empty()) summary.unavailable = "an evaluation kept no per-puzzle pass@1";
    puzzles.push_back(e.problemPassAt1);
  }
  if (summary.unavailable.empty()) summary.interval = analysis::seedPuzzleBootstrapMean(puzzles);
  return summary;
}

std::vector<const MiniatureResults*> resultsOf(const std::vector<SeedResults>& seeds) {
  std::vector<const MiniatureResults*> results;
  for (const SeedResults& seed : seeds) results.push_back(&seed.results);
  return results;
}

}  // namespace

std::vector<SeedResults> runMiniatureSeeds(const MiniatureOptions& options, int seeds,
                                           const MiniatureCallbacks& callbacks) {
  if (seeds < 2) throw UsageError("--seeds: at least 2 (one seed is a plain run)");
  if (options.outputDir.empty()) throw UsageError("miniature experiment: no output folder");
  std::vector<SeedResults> runs;
  for (int i = 0; i < seeds; ++i) {
    MiniatureOptions seeded = options;
    seeded.seed = options.seed + std::uint64_t(i);
    seeded.outputDir = options.outputDir / ("seed-" + std::to_string(seeded.seed));
    if (callbacks.log) {
      callbacks.log("seeds", "seed " + std::to_string(seeded.seed) + " (" +
                                 std::to_string(i + 1) + " of " + std::to_string(seeds) +
                                 ") in " + seeded.outputDir.string());
    }
    runs.push_back({seeded.seed, seeded.outputDir, runMiniatureExperiment(seeded, callbacks)});
  }
  writeFileAtomically(options.outputDir / "report.json", multiSeedReportJson(runs).dump(2) + "\n");
  writeFileAtomically(options.outputDir / "report.md", multiSeedReportMarkdown(runs));
  if (callbacks.log) callbacks.log("report", (options.outputDir / "report.md").string());
  return runs;
}

Json multiSeedReportJson(const std::vector<SeedResults>& seeds) {
  Json seedList = Json::array(), reports = Json::array(), heldOut = Json::array();
  Json pearson = Json::array();
  for (const SeedResults& seed : seeds) {
    seedList.push_back(seed.seed);
    reports.push_back((seed.folder / "report.json").string());
    heldOut.push_back(seed.results.heldOutProblems);
    pearson.push_back(number(seed.results.astro.correlations.backtracks.r));
  }
  Json arms;
  for (const auto& [name, astroArm] : {std::pair{"astro", true}, std::pair{"direct", false}}) {
    for (const char* stage : kStages) {
      StageSummary s = summarize(seeds, astroArm, stage);
      Json entry = {
          {"mean", number(s.interval.estimate)}, {"ci_low", number(s.interval.low)},
          {"ci_high", number(s.interval.high)},  {"per_seed", s.perSeed},
          {"mean_backtracks", s.meanBacktracks}, {"behaviour", behaviourJson(s.behaviour)},
          {"failures", failuresJson(s.failures)}};
      if (!s.unavailable.empty()) entry["unavailable"] = s.unavailable;
      arms[name][stage] = entry;
    }
  }
  Json comparisons = Json::object(), hypothesis = Json::object();
  for (const Comparison& c : miniatureComparisons(resultsOf(seeds))) {
    comparisons[c.key] = comparisonJson(c);
    hypothesis[c.hypothesisKey()] = c.holds();
  }
  hypothesis["rule"] =
      "a claim holds when the 95% interval of its pass@1 difference, resampling seeds and then "
      "the held-out puzzles of each, lies above 0";
  return {{"seeds", seedList},
          {"arms", arms},
          {"comparisons", comparisons},
          {"hypothesis", hypothesis},
          {"pearson_backtracks_per_seed", pearson},
          {"held_out_problems_per_seed", heldOut},
          {"backtracks_count", "backtracks + restarts per response"},
          {"seed_reports", reports}};
}

std::string multiSeedReportMarkdown(const std::vector<SeedResults>& seeds) {
  std::string md = "# The paper's tables in miniature, " + std::to_string(seeds.size()) +
                   " seeds\n\nSeeds";
  for (const SeedResults& seed : seeds) md += " " + std::to_string(seed.seed);
  md += "; each reseeds the base policy, search, both arms' training and evaluation (the "
        "per-seed reports are in seed-<s>/report.md). pass@1 is the mean over seeds with a 95% "
        "interval that resamples seeds, then each seed's held-out puzzles.\n\n"
        "## Accuracy per arm and stage\n\n| arm | base | SFT | RL |\n|---|---|---|---|\n";
  for (const auto& [label, astroArm] : {std::pair{"ASTRO", true}, std::pair{"Direct", false}}) {
    md += std::string("| ") + label;
    for (const char* stage : kStages) {
      StageSummary s = summarize(seeds, astroArm, stage);
      md += " | " + fixed(s.interval.estimate) + " [" + fixed(s.interval.low) + ", " +
            fixed(s.interval.high) + "]";
    }
    md += " |\n";
  }
  md += "\n## Per seed (pass@1; backtracks + restarts per response)\n\n"
        "| seed | arm | base | SFT | RL |\n|---|---|---|---|---|\n";
  for (const SeedResults& seed : seeds) {
    for (const auto& [label, arm] : {std::pair{"ASTRO", &seed.results.astro},
                                      std::pair{"Direct", &seed.results.direct}}) {
      md += "| " + std::to_string(seed.seed) + " | " + label;
      for (const char* stage : kStages) {
        const train::EvaluationResult& e = stageOf(seed.results, *arm, stage);
        md += " | " + fixed(e.passAt1) + "; " + fixed(e.meanBacktracks + e.meanRestarts);
      }
      md += " |\n";
    }
  }
  md += "\n## Backtrack behaviour, pooled over seeds\n\nReturns (backtracks and restarts) per "
        "answer, the share that abandon a wrong branch and the recovery rate (docs/experiment.md), "
        "from the counts of every seed's sampled answers, and the wrong answers whose final path "
        "holds an invalid step or only valid steps.\n\n" +
        behaviourTableHeader();
  for (const auto& [label, astroArm] : {std::pair{"ASTRO", true}, std::pair{"Direct", false}}) {
    for (const char* stage : kStages) {
      const StageSummary s = summarize(seeds, astroArm, stage);
      md += std::string("| ") + label + " | " + stage + " " + behaviourCells(s.behaviour) +
            failureCells(s.failures) + "\n";
    }
  }
  md += "\n## Hypothesis\n\nA claim holds (yes) when the 95% interval of its paired pass@1 "
        "difference, over the same seeds and puzzles, lies above 0.\n\n";
  for (const Comparison& c : miniatureComparisons(resultsOf(seeds))) md += comparisonLine(c);
  return md;
}

}  // namespace astro::experiment
