#include "core/train/sft_trainer.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/model/runtime.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/detail/trainer_loop.h"
#include "core/train/detail/token_loss.h"
#include "core/train/sequence_packing.h"
#include "core/train/sft_data.h"

namespace astro::train {

namespace {

namespace fs = std::filesystem;

// Everything that must match for a resume to continue the same run.
nlohmann::json runFingerprint(const SftOptions& options, const std::string& dataSha256) {
  nlohmann::json fingerprint = {{"data_sha256", dataSha256},
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
  // Only when set, so runs checkpointed before the step budget existed still resume.
  if (options.steps > 0) fingerprint["steps"] = options.steps;
  return fingerprint;
}

void validate(const SftOptions& options) {
  if (options.epochs < 1) throw UsageError("sft: epochs must be >= 1");
  if (options.steps < 0) throw UsageError("sft: steps must be >= 0 (0: epochs decide)");
  if (options.sequencesPerStep < 1) throw UsageError("sft: sequences per step must be >= 1");
  if (options.rowsPerMicroBatch < 1) throw UsageError("sft: rows per micro-batch must be >= 1");
  if (options.learningRate <= 0) throw UsageError("sft: learning rate must be > 0");
  if (options.outputDir.empty()) throw UsageError("sft: an output folder is required");
}

}  // namespace

namespace {

// This rank's micro-batches of one optimizer step: every world-th from its rank on. Each loss is
// divided by the step's trained tokens over all ranks, so the reduced gradient is the whole
// batch's, as one process would compute it.
struct StepLoss {
  double loss = 0;
  double inputTokens = 0;
};

StepLoss trainShare(detail::TrainerLoop& loop, const std::vector<PackedBatch>& microBatches,
                    std::int64_t stepTokens) {
  StepLoss share;
  for (std::size_t i = std::size_t(loop.rank()); i < microBatches.size();
       i += std::size_t(loop.worldSize())) {
    const auto& batch = microBatches[i];
    auto loss = detail::packedTokenLossSum(loop.module(), batch, loop.device()) /
                double(std::max<std::int64_t>(1, stepTokens));
    if (i + std::size_t(loop.worldSize()) >= microBatches.size()) loop.lastBackwardOfStep();
    loss.backward();
    share.loss += loss.item<double>();
    share.inputTokens += double(batch.rows) * double(batch.columns);
  }
  return share;
}

// The step's loss and tokens over all ranks. After applyGradients: collectives must come in the
// same order on every rank, and a rank with a micro-batch starts the gradients' all-reduces
// during its backward pass.
StepLoss sumOverRanks(detail::TrainerLoop& loop, StepLoss share) {
  if (loop.worldSize() == 1) return share;
  std::vector<torch::Tensor> sums{torch::tensor({share.loss, share.inputTokens}, torch::kDouble)};
  loop.communicator().allReduceSum(sums);
  return {.loss = sums[0][0].item<double>(), .inputTokens = sums[0][1].item<double>()};
}

}  // namespace

SftResult runSft(const SftOptions& options, const SftCallbacks& callbacks) {
  validate(options);
  model::initTorchRuntime();
  fs::path tokenizerFolder = options.tokenizer.empty() ? options.initialModel : options.tokenizer;
  auto tokenizer = tokenizer::Tokenizer::fromDirectory(tokenizerFolder);
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
  int totalSteps = options.steps > 0 ? options.steps : stepsPerEpoch * options.epochs;

  detail::TrainerSpec spec = detail::trainerSpecFor(options, totalSteps);
  spec.name = "sft";
  spec.tokenizerFrom = tokenizerFolder;
  spec.fingerprint = runFingerprint(options, dataSha256);
  spec.schedule.finalRatio = options.finalLearningRateRatio;
  spec.shouldStop = callbacks.shouldStop;
  spec.onCheckpoint = callbacks.onCheckpoint;
  detail::TrainerLoop loop(std::move(spec));
  SftResult result{.totalSteps = totalSteps, .resumed = loop.resumed()};
  PackingOptions packing{.rowLength = options.rowLength > 0 ? options.rowLength
                                                            : options.maxSequenceLength,
                         .rowsPerBatch = options.rowsPerMicroBatch,
                         .pack = options.pack};

  while (!loop.finished()) {
    int epoch = loop.step() / stepsPerEpoch;
    int group = loop.step() % stepsPerEpoch;
    auto order = epochExampleOrder(examples.size(), options.seed, epoch);
    std::size_t first = std::size_t(group) * std::size_t(options.sequencesPerStep);
    std::size_t last = std::min(order.size(), first + std::size_t(options.sequencesPerStep));
    std::vector<std::size_t> groupOrder(order.begin() + std::ptrdiff_t(first),
                                        order.begin() + std::ptrdiff_t(last));
    auto microBatches = packExamples(examples, groupOrder, packing);
    std::int64_t groupTokens = 0;
    for (const auto& batch : microBatches) groupTokens += batch.trainedTokens;

    auto started = std::chrono::steady_clock::now();
    double lr = loop.learningRate();
    loop.zeroGrad();
    StepLoss mine = trainShare(loop, microBatches, groupTokens);
    double gradNorm = loop.applyGradients();
    StepLoss share = sumOverRanks(loop, mine);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    SftStepMetrics metrics{.step = loop.step() + 1,
                           .totalSteps = totalSteps,
                           .epoch = epoch,
                           .loss = share.loss,
                           .learningRate = lr,
                           .gradNorm = gradNorm,
                           .tokensPerSecond = share.inputTokens / std::max(seconds, 1e-9),
                           .trainedTokens = groupTokens};
    result.lastLoss = share.loss;
    ++result.stepsTaken;
    if (callbacks.onStep && loop.isRankZero()) callbacks.onStep(metrics);
    if (loop.endStep()) {
      result.stopped = true;
      result.finalStep = loop.step();
      return result;
    }
  }
  result.finalModel = loop.finish();
  result.finalStep = loop.step();
  return result;
}

}  // namespace astro::train
