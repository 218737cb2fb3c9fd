// The sft stage: supervised fine-tuning on the linearized traces (core/train/sft_trainer.h),
// checkpointing into the stage folder and resuming from it.
#include <cstdio>
#include <filesystem>

#include "core/pipeline/stages/stages.h"
#include "core/pipeline/stages/trainer_folder.h"

namespace astro::pipeline {

void runSftStage(const SftStage& config, StageContext& context) {
  train::SftOptions options = config.options;
  options.initialModel = context.input("model");
  options.data = context.input("data");
  options.outputDir = context.folder;
  options.device = context.device;

  if (std::filesystem::file_size(options.data) == 0) {
    throw Error(options.data.string() +
                " holds no training example (when it comes from the "
                "linearize stage: no search tree had a correct answer)");
  }
  if (!hasFinalModel(context.folder)) {
    train::SftCallbacks callbacks;
    callbacks.onStep = [&](const train::SftStepMetrics& step) {
      context.metric("loss", step.step, step.loss);
      context.metric("learning_rate", step.step, step.learningRate);
      context.metric("grad_norm", step.step, step.gradNorm);
      context.progress(step.step, step.totalSteps);
    };
    callbacks.onCheckpoint = [&](const std::filesystem::path& checkpoint, int) {
      context.setCheckpoint(checkpoint);
    };
    callbacks.shouldStop = [&] { return context.stopRequested(); };
    try {
      train::SftResult result = train::runSft(options, callbacks);
      if (result.stopped) throw StopRequested();
      if (result.resumed)
        context.log("resumed SFT at a checkpoint; now at step " + std::to_string(result.finalStep));
    } catch (const StopRequested&) {
      throw;
    } catch (const Error& error) {
      if (!publishFinishedTraining(context.folder, error, context.rankZero)) throw;
    }
  }

  // From the stored series, so a resumed stage reports what an uninterrupted one would.
  auto losses =
      context.workspace.metrics().series(context.stage.runId, context.stage.kind + "/loss");
  char message[160];
  std::snprintf(message, sizeof(message),
                "fine-tuned for %zu steps; loss %.4f at the first step, %.4f at the last",
                losses.size(), losses.empty() ? 0.0 : losses.front().value,
                losses.empty() ? 0.0 : losses.back().value);
  context.log(message);
  context.artifact("model", context.folder / "final");
  context.setCheckpoint(context.folder / "final");
}

}  // namespace astro::pipeline
