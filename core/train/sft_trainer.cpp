#include "core/train/sft_trainer.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/model/detail/fused_adamw.h"
#include "core/model/detail/llama_module.h"
#include "core/model/runtime.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/detail/checkpoint_state.h"
#include "core/train/detail/token_loss.h"
#include "core/train/sequence_packing.h"
#include "core/train/sft_data.h"

namespace astro::train {

namespace {

namespace fs = std::filesystem;

// Everything that must match for a resume to continue the same run.
nlohmann::json runFingerprint(const SftOptions& options, const std::string& dataSha256) {
  return {{"data_sha256", dataSha256},
          {"learning_rate", options.learningRate},
          {"betas", {options.beta1, options.beta2}},
          {"epsilon", options.epsilon},
          {"weight_decay", options.weightDecay},
          {"warmup_steps", options.warmupSteps},
          {"decay", decayKindName(options.decay)},
          {"final_lr_ratio", options.finalLearningRateRatio},
          {"epochs", options.epochs},
          {"max_sequence_length", options.maxSequenceLength},
          {"sequences_per_step", options.sequencesPerStep},
          {"rows_per_micro_batch", options.rowsPerMicroBatch},
          {"row_length", options.rowLength},
          {"pack", options.pack},
          {"gradient_clip", options.gradientClip},
          {"seed", options.seed}};
}

void validate(const SftOptions& options) {
  if (options.epochs < 1) throw UsageError("sft: epochs must be >= 1");
  if (options.sequencesPerStep < 1) throw UsageError("sft: sequences per step must be >= 1");
  if (options.rowsPerMicroBatch < 1) throw UsageError("sft: rows per micro-batch must be >= 1");
  if (options.learningRate <= 0) throw UsageError("sft: learning rate must be > 0");
  if (options.outputDir.empty()) throw UsageError("sft: an output folder is required");
}

}  // namespace

SftResult runSft(const SftOptions& options, const SftCallbacks& callbacks) {
  validate(options);
  model::initTorchRuntime();
  fs::create_directories(options.outputDir);
  auto tokenizer = tokenizer::Tokenizer::fromDirectory(
      options.tokenizer.empty() ? options.initialModel : options.tokenizer);
  std::string dataSha256 = sha256FileHex(options.data);

  SftDataOptions dataOptions{.maxSequenceLength = options.maxSequenceLength,
                             .skipBad = options.skipBadLines};
  SftDataReport dataReport;
  auto examples = loadSftJsonl(options.data, tokenizer, dataOptions, &dataReport);
  if (examples.empty()) {
    throw Error(options.data.string() + ": no usable examples (" +
                std::to_string(dataReport.skippedTooLong) + " longer than " +
                std::to_string(options.maxSequenceLength) + " tokens)");
  }
  int stepsPerEpoch =
      int((examples.size() + std::size_t(options.sequencesPerStep) - 1) / options.sequencesPerStep);
  int totalSteps = stepsPerEpoch * options.epochs;
  nlohmann::json fingerprint = runFingerprint(options, dataSha256);

  auto resume = detail::readLatestCheckpoint(options.outputDir);
  SftResult result;
  result.totalSteps = totalSteps;
  int step = 0;
  fs::path startModel = options.initialModel;
  if (resume) {
    if (resume->fingerprint != fingerprint) {
      throw Error(options.outputDir.string() + ": the checkpoint " + resume->folder.string() +
                  " was made with other data or options; use a new output folder");
    }
    if (resume->step >= totalSteps) {
      throw Error(options.outputDir.string() + ": this run already finished (" +
                  std::to_string(resume->step) + " of " + std::to_string(totalSteps) +
                  " steps); nothing to resume");
    }
    step = resume->step;
    startModel = resume->folder;
    result.resumed = true;
  }

  torch::Device device(options.device);
  auto llama = model::detail::loadLlamaModel(startModel, device, torch::kFloat32);
  llama->train();
  model::detail::FusedAdamW optimizer(
      llama->parameters(), torch::optim::AdamWOptions(options.learningRate)
                               .betas({options.beta1, options.beta2})
                               .eps(options.epsilon)
                               .weight_decay(options.weightDecay));
  if (resume) detail::loadOptimizerState(optimizer, resume->folder);

  LrSchedule schedule{.peakLearningRate = options.learningRate,
                      .warmupSteps = options.warmupSteps,
                      .totalSteps = totalSteps,
                      .decay = options.decay,
                      .finalRatio = options.finalLearningRateRatio};
  PackingOptions packing{.rowLength = options.rowLength > 0 ? options.rowLength
                                                            : options.maxSequenceLength,
                         .rowsPerBatch = options.rowsPerMicroBatch,
                         .pack = options.pack};

  auto checkpoint = [&](int atStep) {
    fs::path folder = detail::writeCheckpoint(
        options.outputDir, atStep, fingerprint, [&](const fs::path& into) {
          model::detail::saveLlamaModel(llama, into);
          detail::copyTokenizerFiles(options.tokenizer.empty() ? options.initialModel
                                                               : options.tokenizer,
                                     into);
          detail::saveOptimizerState(optimizer, into);
        });
    detail::pruneCheckpoints(options.outputDir, options.keepCheckpoints);
    if (callbacks.onCheckpoint) callbacks.onCheckpoint(folder, atStep);
  };

  while (step < totalSteps) {
    int epoch = step / stepsPerEpoch;
    int group = step % stepsPerEpoch;
    auto order = epochExampleOrder(examples.size(), options.seed, epoch);
    std::size_t first = std::size_t(group) * std::size_t(options.sequencesPerStep);
    std::size_t last = std::min(order.size(), first + std::size_t(options.sequencesPerStep));
    std::vector<std::size_t> groupOrder(order.begin() + std::ptrdiff_t(first),
                                        order.begin() + std::ptrdiff_t(last));
    auto microBatches = packExamples(examples, groupOrder, packing);
    std::int64_t groupTokens = 0;
    for (const auto& batch : microBatches) groupTokens += batch.trainedTokens;

    auto started = std::chrono::steady_clock::now();
    double lr = schedule.at(step);
    for (auto& paramGroup : optimizer.param_groups()) {
      static_cast<torch::optim::AdamWOptions&>(paramGroup.options()).lr(lr);
    }
    optimizer.zero_grad();
    double lossSum = 0;
    std::int64_t inputTokens = 0;
    for (const auto& batch : microBatches) {
      auto loss = detail::packedTokenLossSum(llama, batch, device) / double(std::max<std::int64_t>(1, groupTokens));
      loss.backward();
      lossSum += loss.item<double>();
      inputTokens += std::int64_t(batch.rows) * batch.columns;
    }
    double gradNorm = detail::clipGradients(llama->parameters(), options.gradientClip);
    optimizer.step();
    ++step;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    SftStepMetrics metrics{.step = step,
                           .totalSteps = totalSteps,
                           .epoch = epoch,
                           .loss = lossSum,
                           .learningRate = lr,
                           .gradNorm = gradNorm,
                           .tokensPerSecond = double(inputTokens) / std::max(seconds, 1e-9),
                           .trainedTokens = groupTokens};
    result.lastLoss = lossSum;
    ++result.stepsTaken;
    if (callbacks.onStep) callbacks.onStep(metrics);

    bool stopRequested = callbacks.shouldStop && callbacks.shouldStop();
    bool due = options.checkpointEvery > 0 && step % options.checkpointEvery == 0;
    if (step < totalSteps && (due || stopRequested)) checkpoint(step);
    if (stopRequested && step < totalSteps) {
      result.stopped = true;
      result.finalStep = step;
      return result;
    }
  }
  checkpoint(step);
  result.finalStep = step;
  result.finalModel = detail::publishFinalModel(options.outputDir, step);
  return result;
}

}  // namespace astro::train
