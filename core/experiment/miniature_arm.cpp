// One arm of the miniature experiment (detail/experiment_context.h): base -> SFT -> GRPO, then
// the sweep of the SFT model and every RL checkpoint on the held-out split.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/analysis/trace_stats.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/experiment/detail/experiment_context.h"
#include "core/model/language_model.h"
#include "core/pipeline/stages/trainer_folder.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/checkpoint_sweep.h"
#include "core/train/grpo_trainer.h"
#include "core/train/prompt_curation.h"
#include "core/train/sft_trainer.h"

namespace astro::experiment::detail {

namespace fs = std::filesystem;

int countRecords(const fs::path& jsonl) {
  std::ifstream in(jsonl);
  int lines = 0;
  for (std::string line; std::getline(in, line);) lines += !line.empty();
  return lines;
}

namespace {

// Runs a resumable trainer unless its final/ exists. A kill between the trainer's last
// checkpoint and publishing final/ leaves a run the trainer calls finished: publish it then.
template <typename Train>
bool trainUnlessFinished(const fs::path& folder, Train&& train) {
  if (pipeline::hasFinalModel(folder)) return false;
  try {
    train();
  } catch (const Error& error) {
    if (!pipeline::publishFinishedTraining(folder, error)) throw;
  }
  return true;
}

// SFT from the base policy; returns (final loss, steps) as recorded in <arm>/sft.json.
std::pair<double, int> runArmSft(const std::string& stage, const fs::path& armDir,
                                 const fs::path& data, int steps,
                                 const ExperimentContext& context) {
  train::SftOptions sft = context.options.sft;
  sft.steps = steps;
  sft.initialModel = context.baseModel;
  sft.data = data;
  sft.outputDir = armDir / "sft";
  const fs::path record = armDir / "sft.json";
  auto started = std::chrono::steady_clock::now();
  train::SftResult result;
  bool trained = trainUnlessFinished(sft.outputDir, [&] {
    result = train::runSft(sft, {.onStep = [&](const train::SftStepMetrics& m) {
                             if (m.step % 10 == 0 || m.step == m.totalSteps) {
                               context.log(stage, "step " + std::to_string(m.step) + "/" +
                                                      std::to_string(m.totalSteps) + " loss " +
                                                      decimals(m.loss));
                             }
                           }});
  });
  if (trained) {
    context.clock.add(stage, started);
    nlohmann::ordered_json saved = {{"final_loss", result.lastLoss}, {"steps", result.finalStep}};
    writeFileAtomically(record, saved.dump() + "\n");
  }
  if (!fs::exists(record)) return {0.0, 0};  // finished by a repair: the loss was not seen
  auto saved = nlohmann::json::parse(readFile(record));
  return {saved.value("final_loss", 0.0), saved.value("steps", 0)};
}

// The SFT policy's pass rate per prompt (ASTRO's curation), estimated once into curation.json.
std::vector<double> promptPassRates(const std::string& stage, const fs::path& armDir,
                                    const fs::path& sftModel, const ExperimentContext& context) {
  const fs::path file = armDir / "curation.json";
  if (fs::exists(file)) {
    auto rates = nlohmann::json::parse(readFile(file)).at("pass_rates").get<std::vector<double>>();
    if (rates.size() == context.rlPrompts.size()) return rates;
  }
  auto started = std::chrono::steady_clock::now();
  context.log(stage, "estimating pass rates of " + std::to_string(context.rlPrompts.size()) +
                         " prompts with the SFT policy");
  auto policy = model::LanguageModel::load(sftModel, context.options.rl.device);
  auto tokenizer = tokenizer::Tokenizer::fromDirectory(sftModel);
  auto curated = train::curatePrompts(policy, tokenizer, context.rlPrompts, context.verifier,
                                      context.options.curation);
  writeFileAtomically(file, nlohmann::json{{"pass_rates", curated.passRates}}.dump() + "\n");
  context.clock.add(stage, started);
  return curated.passRates;
}

std::vector<RlStepRecord> readRlSteps(const fs::path& file) {
  std::map<int, RlStepRecord> byStep;  // a resumed step is logged again: the last line wins
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) continue;  // a line torn by a kill
    RlStepRecord r;
    r.step = json.value("step", 0);
    r.reward = json.value("reward", 0.0);
    r.responseLength = json.value("response_length", 0.0);
    r.backtracks = json.value("backtracks", 0.0);
    r.zeroVarianceGroups = json.value("zero_variance_groups", 0.0);
    r.kl = json.value("kl", 0.0);
    r.entropy = json.value("entropy", 0.0);
    r.clipFraction = json.value("clip_fraction", 0.0);
    r.seconds = json.value("seconds", 0.0);
    byStep[r.step] = r;
  }
  std::vector<RlStepRecord> steps;
  for (const auto& [step, record] : byStep) steps.push_back(record);
  return steps;
}

}  // namespace

ArmResults runArm(const std::string& name, const fs::path& data, int sftSteps,
                  const ExperimentContext& context) {
  const fs::path armDir = context.options.outputDir / name;
  fs::create_directories(armDir);
  ArmResults arm;
  arm.sftExamples = countRecords(data);
  // Without solved trees there is nothing to fine-tune on: the arm goes on from the base policy
  // and the report says so.
  arm.sftSkipped = arm.sftExamples == 0;
  if (!arm.sftSkipped) {
    std::tie(arm.sftFinalLoss, arm.sftSteps) =
        runArmSft(name + "/sft", armDir, data, sftSteps, context);
  }
  const fs::path sftModel = arm.sftSkipped ? context.baseModel : armDir / "sft" / "final";

  // Curation: prompts the SFT policy solves sometimes, neither never nor nearly always.
  std::vector<math::Problem> prompts = context.rlPrompts;
  arm.offeredPrompts = int(prompts.size());
  if (context.options.curate) {
    auto rates = promptPassRates(name + "/curation", armDir, sftModel, context);
    std::vector<math::Problem> kept;
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      if (rates[i] >= context.options.curation.minPassRate &&
          rates[i] <= context.options.curation.maxPassRate) {
        kept.push_back(prompts[i]);
      }
    }
    if (kept.empty()) {
      arm.curationFellBack = true;
      context.log(name + "/curation", "no prompt has a pass rate in range; GRPO uses all " +
                                          std::to_string(prompts.size()));
    } else {
      prompts = std::move(kept);
    }
  }
  arm.keptPrompts = int(prompts.size());
  context.log(name + "/curation", std::to_string(arm.keptPrompts) + " of " +
                                      std::to_string(arm.offeredPrompts) + " prompts for GRPO");

  // GRPO from the SFT model, every step's metrics appended to rl_steps.jsonl.
  train::GrpoOptions rl = context.options.rl;
  rl.initialModel = sftModel;
  rl.outputDir = armDir / "rl";
  const fs::path stepsFile = armDir / "rl_steps.jsonl";
  const std::string rlStage = name + "/rl";
  auto started = std::chrono::steady_clock::now();
  std::ofstream steps;
  train::GrpoCallbacks callbacks;
  callbacks.onStep = [&](const train::GrpoStepMetrics& m) {
    steps << nlohmann::json{{"step", m.step},
                            {"reward", m.rewardMean},
                            {"response_length", m.responseLength},
                            {"backtracks", m.backtracksPerResponse},
                            {"zero_variance_groups", m.zeroVarianceGroups},
                            {"kl", m.kl},
                            {"entropy", m.entropy},
                            {"clip_fraction", m.clipFraction},
                            {"seconds", m.seconds}}
                 .dump()
          << std::endl;
    context.log(rlStage, "step " + std::to_string(m.step) + "/" + std::to_string(m.totalSteps) +
                             " reward " + decimals(m.rewardMean) + " length " +
                             decimals(m.responseLength, 1) + " backtracks " +
                             decimals(m.backtracksPerResponse, 2));
  };
  // Backtracks in rollouts: returns to an earlier step or to the problem (restarts: in two-step
  // countdown trees most returns go to the root), read by the exact detector over the phrases
  // the SFT traces were rendered with.
  callbacks.countBacktracks = [&](std::string_view text) {
    auto stats = analysis::analyzeTrace(*context.options.evaluation.traceDetector, text);
    return stats.backtracks + stats.restarts;
  };
  bool trained = trainUnlessFinished(rl.outputDir, [&] {
    steps.open(stepsFile, std::ios::app);
    train::runGrpo(rl, prompts, context.verifier, callbacks);
  });
  if (trained) context.clock.add(rlStage, started);
  arm.rlSteps = readRlSteps(stepsFile);

  // The SFT model (step 0) and every RL checkpoint on the held-out split.
  const std::string evalStage = name + "/eval";
  started = std::chrono::steady_clock::now();
  bool evaluated = false;
  auto checkpoints = train::listSweepCheckpoints(rl.outputDir, sftModel);
  arm.checkpoints = train::sweepCheckpoints(
      checkpoints, context.heldOut, context.verifier,
      {.evaluation = context.options.evaluation,
       .resultsDir = armDir / "eval",
       .device = context.options.rl.device},
      {.onPoint = [&](const train::SweepPoint& point) {
        evaluated |= !point.reused;
        context.log(evalStage, point.checkpoint.label + ": pass@1 " +
                                   decimals(point.evaluation.passAt1) + ", greedy " +
                                   decimals(point.evaluation.greedyAccuracy) + ", length " +
                                   decimals(point.evaluation.meanCompletionTokens, 1) +
                                   ", backtracks " + decimals(point.evaluation.meanBacktracks, 2) +
                                   (point.reused ? " (kept from an earlier run)" : ""));
      }});
  if (evaluated) context.clock.add(evalStage, started);
  arm.correlations = train::correlateSweep(arm.checkpoints, /*countRestarts=*/true);
  return arm;
}

}  // namespace astro::experiment::detail
