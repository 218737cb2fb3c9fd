// The rl stage: prompt curation with the SFT policy (its pass rate on the training prompts, kept
// in curation.json so a resume does not estimate it again), then GRPO with verifiable rewards
// (core/train/grpo_trainer.h) checkpointing into the stage folder; every step's rollouts go to the
// run store's samples table (sample_records.h).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/analysis/trace_stats.h"
#include "core/base/atomic_file.h"
#include "core/domain/dataset_reading.h"
#include "core/domain/domain_registry.h"
#include "core/endpoint/model_source.h"
#include "core/math/dataset_loader.h"
#include "core/pipeline/stages/sample_records.h"
#include "core/pipeline/stages/stage_phrases.h"
#include "core/pipeline/stages/stages.h"
#include "core/pipeline/stages/trainer_folder.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/grpo_trainer.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

namespace {

std::string format(const char* pattern, double a, double b = 0) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), pattern, a, b);
  return buffer;
}

// Pass rates of the starting policy per prompt: estimated once, then read from curation.json.
std::vector<double> promptPassRates(const RlStage& config,
                                    const std::vector<math::Problem>& prompts,
                                    const math::Verifier& verifier, StageContext& context) {
  const fs::path file = context.folder / "curation.json";
  if (fs::exists(file)) {
    auto saved = nlohmann::json::parse(readFile(file));
    auto rates = saved.at("pass_rates").get<std::vector<double>>();
    if (rates.size() == prompts.size()) return rates;
  }
  train::CurationOptions curation = config.curation;
  curation.estimate.maxNewTokens = std::min(config.options.maxNewTokens, 4096);
  curation.estimate.temperature = config.options.temperature;
  curation.estimate.seed = config.options.seed;
  curation.estimate.shardAcrossRanks = true;  // ranks of a data-parallel run share the sampling
  // The starting policy estimates the rates, here or on a server that serves the same weights.
  endpoint::ModelSource source{.folder = {}, .endpoint = config.curationEndpoint};
  if (!source.endpoint) source.folder = context.input("model");
  auto policy = endpoint::openSampler(source, context.device);
  auto tokenizer = tokenizer::Tokenizer::fromDirectory(
      source.endpoint ? context.input("curation-tokenizer") : source.folder);
  auto curated = train::curatePrompts(*policy, tokenizer, prompts, verifier, curation,
                                      [&](const train::EvaluationProgress& progress) {
                                        context.throwIfStopped();
                                        context.progress(progress.done, progress.total, "curation");
                                      });
  nlohmann::ordered_json saved = {{"samples_per_prompt", curation.estimate.samplesPerProblem},
                                  {"pass_rates", curated.passRates}};
  if (context.rankZero) writeFileAtomically(file, saved.dump() + "\n");
  return curated.passRates;
}

// Keeps prompts whose pass rate lies in [min, max] (train::curatePrompts' rule) and says so.
std::vector<math::Problem> curate(const RlStage& config, const std::vector<math::Problem>& prompts,
                                  const math::Verifier& verifier, StageContext& context) {
  std::vector<double> rates = promptPassRates(config, prompts, verifier, context);
  std::vector<math::Problem> kept;
  int tooHard = 0, tooEasy = 0;
  double sum = 0;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    sum += rates[i];
    if (rates[i] < config.curation.minPassRate) {
      ++tooHard;
    } else if (rates[i] > config.curation.maxPassRate) {
      ++tooEasy;
    } else {
      kept.push_back(prompts[i]);
    }
  }
  double mean = prompts.empty() ? 0.0 : sum / double(prompts.size());
  context.metric("start_pass_rate", 0, mean);
  context.log("starting policy on " + std::to_string(prompts.size()) +
              " training prompts: " + format("pass@1 %.3f", mean) + " (" +
              std::to_string(config.curation.estimate.samplesPerProblem) + " samples each); kept " +
              std::to_string(kept.size()) + " with pass rates in " +
              format("[%.2f, %.2f]", config.curation.minPassRate, config.curation.maxPassRate) +
              " (" + std::to_string(tooHard) + " too hard, " + std::to_string(tooEasy) +
              " too easy)");
  if (kept.empty()) {
    throw Error(
        "prompt curation kept no prompt; widen min_pass_rate/max_pass_rate or set "
        "curate = false");
  }
  return kept;
}

}  // namespace

void runRlStage(const RlStage& config, StageContext& context) {
  std::vector<math::Problem> prompts = domain::loadDataset(context.input("dataset")).problems;
  if (config.limit > 0 && prompts.size() > std::size_t(config.limit)) prompts.resize(config.limit);
  const domain::Domain& rewardDomain = domain::resolveDomain(config.verifier, prompts);
  context.log("domain " + std::string(rewardDomain.name()) + " gives the rewards (verifier = \"" +
                  config.verifier + "\")",
              {{"domain", std::string(rewardDomain.name())}});
  auto verifier = rewardDomain.makeVerifier();
  if (config.curate) prompts = curate(config, prompts, *verifier, context);

  train::GrpoOptions options = config.options;
  options.initialModel = context.input("model");
  options.outputDir = context.folder;
  options.device = context.device;
  if (!hasFinalModel(context.folder)) {
    train::GrpoCallbacks callbacks;
    callbacks.onStep = [&](const train::GrpoStepMetrics& step) {
      context.metric("reward", step.step, step.rewardMean);
      // Rewards are +1 / -1 (ASTRO's verifiable reward), so the training pass rate is (r + 1) / 2.
      context.metric("pass_rate", step.step, (step.rewardMean + 1.0) / 2.0);
      context.metric("response_length", step.step, step.responseLength);
      context.metric("backtracks", step.step, step.backtracksPerResponse);
      context.metric("entropy", step.step, step.entropy);
      context.metric("kl", step.step, step.kl);
      context.progress(step.step, step.totalSteps);
    };
    // Every step's rollouts into the store; a step redone after a resume replaces its own.
    const std::string benchmark = context.input("dataset").stem().string();
    const auto detector = stageDetector(rewardDomain, context);
    callbacks.countBacktracks = [detector](std::string_view completion) {
      return analysis::analyzeTrace(*detector, completion).backtracks;
    };
    callbacks.onRollouts = [&context, benchmark,
                            detector](const std::vector<train::GrpoRollout>& rollouts) {
      recordRollouts(context, benchmark, rollouts, *detector);
    };
    callbacks.onCheckpoint = [&](const fs::path& checkpoint, int) {
      context.setCheckpoint(checkpoint);
    };
    callbacks.shouldStop = [&] { return context.stopRequested(); };
    try {
      train::GrpoResult result = train::runGrpo(options, prompts, *verifier, callbacks);
      if (result.stopped) throw StopRequested();
    } catch (const StopRequested&) {
      throw;
    } catch (const Error& error) {
      if (!publishFinishedTraining(context.folder, error, context.rankZero)) throw;
    }
  }

  auto rates =
      context.workspace.metrics().series(context.stage.runId, context.stage.kind + "/pass_rate");
  if (!rates.empty()) {
    context.log("GRPO for " + std::to_string(rates.size()) + " steps on " +
                std::to_string(prompts.size()) + " prompts: training pass rate " +
                format("%.3f at the first step, %.3f at the last", rates.front().value,
                       rates.back().value));
  }
  context.artifact("model", context.folder / "final");
  context.setCheckpoint(context.folder / "final");
}

}  // namespace astro::pipeline
