// The pretrain-base stage: the miniature world's base policy (core/train/base_pretraining.h),
// trained from scratch into the stage folder and evaluated on held-out puzzles.
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/stages/pass_rates.h"
#include "core/pipeline/stages/stages.h"
#include "core/pipeline/stages/trainer_folder.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

namespace {

// pretrainWorldBase copies training/final to model/ only when model/ lacks the weights, so a
// copy cut short by a kill would be taken as complete: drop a model/ that differs from final/.
void dropPartialModelCopy(const fs::path& folder) {
  fs::path final = folder / "training" / "final";
  fs::path model = folder / "model";
  if (!fs::exists(model) || !fs::exists(final)) return;
  for (const auto& entry : fs::directory_iterator(final)) {
    fs::path copy = model / entry.path().filename();
    if (!fs::exists(copy) || fs::file_size(copy) != fs::file_size(entry.path())) {
      fs::remove_all(model);
      return;
    }
  }
}

// The trainer's last checkpoint (training/latest.json), recorded on the stage row when it stops.
void recordTrainingCheckpoint(StageContext& context) {
  fs::path latest = context.folder / "training" / "latest.json";
  if (!fs::exists(latest)) return;
  auto pointer = nlohmann::json::parse(readFile(latest), nullptr, false);
  if (!pointer.is_object() || !pointer.contains("checkpoint")) return;
  context.setCheckpoint(context.folder / "training" / pointer["checkpoint"].get<std::string>());
}

}  // namespace

void runPretrainBaseStage(const PretrainBaseStage& config, StageContext& context) {
  train::BasePretrainingOptions options = config.options;
  options.outputDir = context.folder;
  dropPartialModelCopy(context.folder);

  train::BasePretrainingCallbacks callbacks;
  callbacks.log = [&](const std::string& message) { context.log(message); };
  callbacks.onStep = [&](const train::SftStepMetrics& step) {
    context.metric("loss", step.step, step.loss);
    context.metric("learning_rate", step.step, step.learningRate);
    context.progress(step.step, step.totalSteps, "training");
  };
  callbacks.onEvaluation = [&](const train::EvaluationProgress& progress) {
    context.throwIfStopped();
    context.progress(progress.done, progress.total, "evaluation");
  };
  callbacks.shouldStop = [&] { return context.stopRequested(); };

  train::BasePretrainingResult result;
  for (int attempt = 0;; ++attempt) {
    try {
      result = train::pretrainWorldBase(options, callbacks);
      break;
    } catch (const StopRequested&) {
      recordTrainingCheckpoint(context);
      throw;
    } catch (const Error& error) {
      if (context.stopRequested()) {  // "pretrain stopped at step N"
        recordTrainingCheckpoint(context);
        throw StopRequested();
      }
      if (attempt > 0 || !publishFinishedTraining(context.folder / "training", error, context.rankZero)) throw;
    }
  }

  PassRates rates = passRates(result.evaluation, options.testProblems, options.evaluationSamples);
  reportPassRates(context,
                  "base policy on " + std::to_string(options.testProblems) + " held-out puzzles",
                  rates);
  if (context.rankZero) {
    writeFileAtomically(context.folder / "result.json", rates.toJson().dump(2) + "\n");
  }
  context.artifact("model", result.model);
  context.artifact("dataset", context.folder / stageOutput(StageKind::kPretrainBase, "train"));
  context.artifact("dataset", context.folder / stageOutput(StageKind::kPretrainBase, "test"));
  context.artifact("report", context.folder / "result.json");
  context.setCheckpoint(result.model);
}

}  // namespace astro::pipeline
