#include "core/experiment/miniature_experiment.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/analysis/exact_detector.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/domain/countdown_domain.h"
#include "core/domain/dataset_reading.h"
#include "core/domain/domain_registry.h"
#include "core/experiment/detail/experiment_context.h"
#include "core/experiment/miniature_splits.h"
#include "core/math/dataset_loader.h"
#include "core/search/grounded_check.h"
#include "core/search/mcts_job.h"
#include "core/search/phrase_set.h"
#include "core/search/sft_export.h"
#include "core/search/tree_json.h"
#include "core/train/checkpoint_sweep.h"
#include "core/world/countdown_verifier.h"

namespace astro::experiment {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace detail {

std::string decimals(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", digits, value);
  return buffer;
}

StageClock::StageClock(fs::path file) : file_(std::move(file)) {
  if (!fs::exists(file_)) return;
  auto saved = nlohmann::ordered_json::parse(readFile(file_), nullptr, false);
  if (saved.is_object()) {
    for (const auto& [stage, value] : saved.items()) {
      if (value.is_number()) seconds_.emplace_back(stage, value.get<double>());
    }
  }
}

void StageClock::add(const std::string& stage, Clock::time_point started) {
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  auto known = std::find_if(seconds_.begin(), seconds_.end(),
                            [&](const auto& entry) { return entry.first == stage; });
  if (known == seconds_.end()) {
    seconds_.emplace_back(stage, seconds);
  } else {
    known->second += seconds;
  }
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& [name, value] : seconds_) json[name] = value;
  writeFileAtomically(file_, json.dump(2) + "\n");
}

}  // namespace detail

namespace {

void applySeed(MiniatureOptions& o) {
  o.base.seed = o.seed;
  o.mcts.seed = o.seed;
  o.exportOptions.linearize.seed = o.seed;
  o.exportOptions.render.seed = o.seed;
  o.sft.seed = o.seed;
  o.rl.seed = o.seed;
  o.curation.estimate.seed = o.seed;
  o.evaluation.seed = o.seed;
}

// The base policy: pretrainWorldBase into <out>/base, once (base/done.json marks it).
fs::path runBase(const MiniatureOptions& options, const MiniatureCallbacks& callbacks,
                 detail::StageClock& clock) {
  const fs::path baseDir = options.outputDir / "base";
  const fs::path marker = baseDir / "done.json";
  auto log = [&](const std::string& message) {
    if (callbacks.log) callbacks.log("base", message);
  };
  if (!fs::exists(marker)) {
    auto started = Clock::now();
    train::BasePretrainingOptions base = options.base;
    base.outputDir = baseDir;
    train::BasePretrainingCallbacks pretrain;
    pretrain.log = log;
    pretrain.onStep = [&](const train::SftStepMetrics& m) {
      if (m.step % 10 == 0 || m.step == m.totalSteps) {
        log("step " + std::to_string(m.step) + "/" + std::to_string(m.totalSteps) + " loss " +
            detail::decimals(m.loss));
      }
    };
    auto result = train::pretrainWorldBase(base, pretrain);
    clock.add("base", started);
    nlohmann::ordered_json done = {{"model", result.model.string()},
                                   {"final_loss", result.finalLoss},
                                   {"train_seconds", result.trainSeconds}};
    writeFileAtomically(marker, done.dump(2) + "\n");
  }
  return baseDir;
}

// MCTS with the base policy on the first searchProblems training puzzles into
// <out>/search/trees.jsonl (resumable tree by tree); returns (searched, solved).
std::pair<int, int> runSearch(const MiniatureOptions& options, const fs::path& baseDir,
                              const MiniatureCallbacks& callbacks, detail::StageClock& clock) {
  const fs::path searchDir = options.outputDir / "search";
  const fs::path summaryFile = searchDir / "summary.json";
  if (!fs::exists(summaryFile)) {
    fs::create_directories(searchDir);
    auto started = Clock::now();
    search::SearchJob job;
    job.dataset = baseDir / "data" / "train.jsonl";
    job.model = baseDir / "model";
    job.out = searchDir / "trees.jsonl";
    job.verifier = domain::CountdownDomain::kName;  // the world's own puzzles
    job.device = options.rl.device;
    job.limit = options.searchProblems;
    job.passSamples = 0;
    job.mcts = options.mcts;
    int reported = -1;
    auto lastReport = Clock::now();
    auto summary = search::runSearchJob(job, [&](const search::MctsStats& stats) {
      bool due = Clock::now() - lastReport > std::chrono::seconds(15);
      if (callbacks.log && stats.treesFinished != reported && (due || reported < 0)) {
        callbacks.log("search", std::to_string(stats.treesFinished) + "/" +
                                    std::to_string(stats.treesTotal) + " trees, " +
                                    std::to_string(stats.policyTokens) + " policy tokens");
        reported = stats.treesFinished;
        lastReport = Clock::now();
      }
    });
    clock.add("search", started);
    nlohmann::ordered_json saved = {{"problems", summary.treesStored},
                                    {"solved", summary.treesSolved},
                                    {"simulations", summary.search.stats.simulations},
                                    {"policy_tokens", summary.search.stats.policyTokens},
                                    {"steps_refused", summary.search.stats.stepsRejected},
                                    {"dead_ends_kept", summary.search.stats.deadEndsKept}};
    writeFileAtomically(summaryFile, saved.dump(2) + "\n");
  }
  auto saved = nlohmann::json::parse(readFile(summaryFile));
  std::pair<int, int> counts{saved.at("problems").get<int>(), saved.at("solved").get<int>()};
  if (callbacks.log) {
    callbacks.log("search", "solved " + std::to_string(counts.second) + " of " +
                                std::to_string(counts.first) + " puzzles");
  }
  return counts;
}

// ASTRO and Direct SFT data from the same trees into <out>/data; returns the dataset report.
nlohmann::ordered_json runLinearize(const MiniatureOptions& options,
                                    const MiniatureCallbacks& callbacks) {
  const fs::path dataDir = options.outputDir / "data";
  const fs::path table = dataDir / "dataset_table.json";
  if (!fs::exists(table)) {
    search::SftExporter exporter(options.phrases, options.exportOptions);
    search::forEachTreeJsonl(options.outputDir / "search" / "trees.jsonl",
                             [&](search::SearchTree&& tree) { exporter.add(tree, "countdown"); });
    if (exporter.directLines().empty() && callbacks.log) {
      callbacks.log("data",
                    "no search tree holds a correct answer: there is no SFT data, so both "
                    "arms skip SFT and start RL from the base policy");
    }
    exporter.writeDataset(dataDir);  // dataset_table.json last: it marks the stage done
  }
  auto report = nlohmann::ordered_json::parse(readFile(table));
  if (callbacks.log) {
    const auto& astro = report.at("astro").at("total");
    callbacks.log("data",
                  std::to_string(astro.value("trajectories", 0)) + " ASTRO traces (" +
                      std::to_string(astro.value("backtracks", 0)) + " backtracks) and " +
                      std::to_string(report.at("direct").at("total").value("trajectories", 0)) +
                      " Direct traces");
  }
  return report;
}

// With --mix-direct, the ASTRO arm's SFT data: every ASTRO trace, then every Direct trace
// (SFT shuffles each epoch), written once into <out>/data/astro_mixed_sft.jsonl.
fs::path astroArmData(const MiniatureOptions& options) {
  const fs::path dataDir = options.outputDir / "data";
  if (!options.mixDirect) return dataDir / "astro_sft.jsonl";
  const fs::path mixed = dataDir / "astro_mixed_sft.jsonl";
  if (!fs::exists(mixed)) {
    std::string text = readFile(dataDir / "astro_sft.jsonl");
    if (!text.empty() && text.back() != '\n') text += '\n';
    writeFileAtomically(mixed, text + readFile(dataDir / "direct_sft.jsonl"));
  }
  return mixed;
}

}  // namespace

MiniatureResults runMiniatureExperiment(MiniatureOptions options,
                                        const MiniatureCallbacks& callbacks) {
  if (options.outputDir.empty())
    throw UsageError("miniature experiment: an output folder is required");
  validateMiniatureOptions(options);
  applySeed(options);
  if (options.unseenSearch)
    options.base.unseenProblems = options.searchProblems + options.rlPrompts;
  search::validatePhraseSet(options.phrases, "miniature experiment phrases");
  const domain::Domain& world = domain::domainRegistry().find(domain::CountdownDomain::kName);
  // Traces join their steps with the world's delimiter (as its search cut them), and backtracks
  // are counted by the exact detector over the phrases and delimiter they were rendered with.
  options.exportOptions.render.stepDelimiter = world.stepDelimiter();
  // Grounded reflections: the world states what each reflection checked (issue #21).
  if (options.groundedReflections) {
    options.exportOptions.render.groundedCheck = search::groundedCheckFor(world);
  }
  options.evaluation.traceDetector = analysis::ExactDetector::forDomain(world, options.phrases);
  // Returns after a wrong branch are judged by the world's verifier and step validator.
  options.evaluation.stepValidator = world.makeStepValidator();
  fs::create_directories(options.outputDir);
  detail::StageClock clock(options.outputDir / "timings.json");
  MiniatureResults results;
  results.options = options.toJson();

  const fs::path baseDir = runBase(options, callbacks, clock);
  MiniatureSplits splits =
      miniatureSplits(domain::loadDataset(baseDir / "data" / "train.jsonl").problems,
                      domain::loadDataset(baseDir / "data" / "test.jsonl").problems,
                      options.searchProblems, options.rlPrompts, options.heldOutLimit);
  const std::vector<math::Problem>& heldOut = splits.heldOut;
  world::CountdownVerifier verifier;
  detail::ExperimentContext context{.options = options,
                                    .callbacks = callbacks,
                                    .clock = clock,
                                    .verifier = verifier,
                                    .baseModel = baseDir / "model",
                                    .heldOut = heldOut,
                                    .rlPrompts = std::move(splits.rl)};
  results.heldOutProblems = int(heldOut.size());

  auto started = Clock::now();
  auto basePoints = train::sweepCheckpoints({{"base", 0, context.baseModel}}, heldOut, verifier,
                                            {.evaluation = options.evaluation,
                                             .resultsDir = options.outputDir / "eval",
                                             .device = options.rl.device});
  results.base = basePoints.front().evaluation;
  if (!basePoints.front().reused) clock.add("base/eval", started);
  context.log("base/eval", "pass@1 " + detail::decimals(results.base.passAt1) + ", greedy " +
                               detail::decimals(results.base.greedyAccuracy) + " on " +
                               std::to_string(heldOut.size()) + " held-out puzzles");

  std::tie(results.searchedProblems, results.solvedTrees) =
      runSearch(options, baseDir, callbacks, clock);
  results.dataset = runLinearize(options, callbacks);
  const fs::path astroData = astroArmData(options);
  const fs::path directData = options.outputDir / "data" / "direct_sft.jsonl";
  // Equal SFT updates for both arms, whatever their example counts (sftStepBudget).
  const int astroExamples = detail::countRecords(astroData);
  const int directExamples = detail::countRecords(directData);
  const int sftSteps = sftStepBudget(astroExamples, directExamples, options.sft);
  if (sftSteps > 0) {
    context.log("data", std::to_string(astroExamples) + " ASTRO and " +
                            std::to_string(directExamples) + " Direct SFT examples: both arms " +
                            "take " + std::to_string(sftSteps) + " SFT steps");
  }
  results.astro = detail::runArm("astro", astroData, sftSteps, context);
  results.direct = detail::runArm("direct", directData, sftSteps, context);

  std::vector<train::SweepPoint> pooled = results.astro.checkpoints;
  pooled.insert(pooled.end(), results.direct.checkpoints.begin(), results.direct.checkpoints.end());
  results.pooled = train::correlateSweep(pooled, /*countRestarts=*/true);
  results.stageSeconds = clock.seconds();

  writeFileAtomically(options.outputDir / "report.json",
                      miniatureReportJson(results).dump(2) + "\n");
  writeFileAtomically(options.outputDir / "report.md", miniatureReportMarkdown(results));
  context.log("report", (options.outputDir / "report.md").string());
  return results;
}

}  // namespace astro::experiment
