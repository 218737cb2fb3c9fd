#include "core/train/grpo_trainer.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/analysis/exact_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/model/detail/language_model_impl.h"
#include "core/search/phrase_set.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/detail/grpo_rollouts.h"
#include "core/train/detail/trainer_loop.h"
#include "core/train/detail/grpo_loss.h"
#include "core/train/detail/sequence_logprobs.h"
#include "core/train/detail/token_loss.h"
#include "core/train/evaluation.h"
#include "core/train/grpo_advantages.h"

namespace astro::train {

namespace fs = std::filesystem;

LossAggregation parseLossAggregation(const std::string& name) {
  if (name == "token-mean") return LossAggregation::TokenMean;
  if (name == "sequence-mean") return LossAggregation::SequenceMean;
  throw UsageError("unknown loss aggregation '" + name + "' (token-mean or sequence-mean)");
}

namespace {

nlohmann::json runFingerprint(const GrpoOptions& o, const std::vector<math::Problem>& prompts) {
  Sha256 promptHash;
  for (const auto& p : prompts) promptHash.update(p.id + "\n" + p.question + "\n" + p.answer + "\n");
  return {{"prompts_sha256", promptHash.finishHex()}, {"steps", o.steps},
          {"prompts_per_step", o.promptsPerStep}, {"group_size", o.groupSize},
          {"temperature", o.temperature}, {"top_p", o.topP}, {"max_new_tokens", o.maxNewTokens},
          {"lr", o.learningRate}, {"warmup", o.warmupSteps}, {"decay", decayKindName(o.decay)},
          {"clip", {o.clipLow, o.clipHigh}}, {"kl", o.klCoefficient},
          {"divide_by_std", o.divideByStd}, {"aggregation", int(o.aggregation)},
          {"epochs", o.optimizationEpochs}, {"micro_batch", o.microBatchSize},
          {"grad_clip", o.gradientClip}, {"seed", o.seed},
          {"betas", {o.beta1, o.beta2}}, {"epsilon", o.epsilon}, {"weight_decay", o.weightDecay}};
}

void writeRollouts(const fs::path& folder, int step, const std::vector<GrpoRollout>& rollouts) {
  std::string lines;
  for (const auto& r : rollouts) {
    lines += nlohmann::json{{"step", r.step}, {"group", r.group}, {"index", r.indexInGroup},
                            {"problem_id", r.problemId}, {"prompt", r.prompt},
                            {"completion", r.completion}, {"reward", r.reward},
                            {"advantage", r.advantage}, {"tokens", r.tokens},
                            {"backtracks", r.backtracks}, {"correct", r.correct}}
                 // Sampled text may hold invalid UTF-8: keep the line valid JSON (U+FFFD).
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  fs::create_directories(folder);
  writeFileAtomically(folder / ("step-" + std::to_string(step) + ".jsonl"), lines);
}

}  // namespace

namespace {

struct OptimisationTotals {
  double gradNorm = 0, kl = 0, klToRollout = 0, clipFraction = 0;
};

// Old (and reference) log-probabilities of this rank's micro-batches, once, without grad.
struct ScoredBatches {
  std::vector<std::size_t> mine;  // indices into batches
  std::vector<torch::Tensor> oldLogprobs, referenceLogprobs;
  double entropySum = 0;  // over all ranks
  double tokenTotal = 0;  // completion tokens of the whole step
};

ScoredBatches scoreBatches(detail::TrainerLoop& loop,
                           const std::vector<detail::CompletionBatch>& batches,
                           const std::optional<model::LanguageModel>& reference) {
  ScoredBatches scored;
  torch::NoGradGuard noGrad;
  for (std::size_t b = 0; b < batches.size(); ++b) {
    scored.tokenTotal += batches[b].mask.sum().item<double>();
    if (int(b % std::size_t(loop.worldSize())) != loop.rank()) continue;
    scored.mine.push_back(b);
    auto old = detail::completionLogprobs(loop.module(), batches[b], true);
    scored.oldLogprobs.push_back(old.logprobs);
    scored.entropySum += old.entropy.sum().item<double>();
    if (reference) {
      scored.referenceLogprobs.push_back(
          detail::completionLogprobs(reference->impl().module, batches[b], false).logprobs);
    }
  }
  if (loop.worldSize() > 1) {
    std::vector<torch::Tensor> sums{torch::tensor({scored.entropySum}, torch::kDouble)};
    loop.communicator().allReduceSum(sums);
    scored.entropySum = sums[0][0].item<double>();
  }
  return scored;
}

// The optimisation epochs over one batch of rollouts: one optimizer step per epoch.
OptimisationTotals optimise(detail::TrainerLoop& loop, const GrpoOptions& options,
                            const std::vector<detail::CompletionBatch>& batches,
                            const ScoredBatches& scored, const std::vector<double>& advantages) {
  detail::GrpoLossOptions lossOptions{.clipLow = options.clipLow, .clipHigh = options.clipHigh,
                                      .klCoefficient = options.klCoefficient,
                                      .aggregation = options.aggregation};
  double normalizer = options.aggregation == LossAggregation::TokenMean
                          ? std::max(1.0, scored.tokenTotal)
                          : double(advantages.size());
  auto advantageTensor = torch::tensor(std::vector<float>(advantages.begin(), advantages.end()));
  const std::size_t micro = std::size_t(options.microBatchSize);
  OptimisationTotals totals;
  loop.module()->train();
  for (int epoch = 0; epoch < options.optimizationEpochs; ++epoch) {
    loop.zeroGrad();
    double shares[3] = {0, 0, 0};  // kl, klToRollout, clipFraction
    for (std::size_t i = 0; i < scored.mine.size(); ++i) {
      const auto& batch = batches[scored.mine[i]];
      auto current = detail::completionLogprobs(loop.module(), batch, false);
      detail::GrpoLossInputs inputs{
          .logprobs = current.logprobs,
          .oldLogprobs = scored.oldLogprobs[i],
          .referenceLogprobs = scored.referenceLogprobs.empty() ? torch::Tensor()
                                                                : scored.referenceLogprobs[i],
          .advantages = advantageTensor.narrow(0, int64_t(scored.mine[i] * micro),
                                               batch.mask.size(0)).to(loop.device()),
          .mask = batch.mask,
          .normalizer = normalizer};
      auto loss = detail::grpoLoss(inputs, lossOptions);
      if (i + 1 == scored.mine.size()) loop.lastBackwardOfStep();
      loss.loss.backward();
      double share = batch.mask.sum().item<double>() / std::max(1.0, scored.tokenTotal);
      shares[0] += loss.kl * share;
      shares[1] += loss.klToRollout * share;
      shares[2] += loss.clipFraction * share;
    }
    totals.gradNorm = loop.applyGradients();
    if (loop.worldSize() > 1) {
      std::vector<torch::Tensor> sums{torch::tensor({shares[0], shares[1], shares[2]}, torch::kDouble)};
      loop.communicator().allReduceSum(sums);
      for (int k = 0; k < 3; ++k) shares[k] = sums[0][k].item<double>();
    }
    totals.kl = shares[0];
    totals.klToRollout = shares[1];
    totals.clipFraction = shares[2];
  }
  return totals;
}

GrpoStepMetrics stepMetrics(const detail::StepRollouts& step, const OptimisationTotals& totals,
                            const ScoredBatches& scored, const GrpoOptions& options) {
  GrpoStepMetrics metrics;
  double count = double(step.rollouts.size());
  for (const auto& r : step.rollouts) {
    metrics.rewardMean += r.reward / count;
    metrics.responseLength += r.tokens / count;
    metrics.backtracksPerResponse += r.backtracks / count;
  }
  metrics.zeroVarianceGroups = zeroVarianceGroupFraction(step.rewards, options.groupSize);
  metrics.kl = totals.kl;
  metrics.klToRollout = totals.klToRollout;
  metrics.clipFraction = totals.clipFraction;
  metrics.entropy = scored.entropySum / std::max(1.0, scored.tokenTotal);
  metrics.gradNorm = totals.gradNorm;
  return metrics;
}

void validate(const GrpoOptions& options, const std::vector<math::Problem>& prompts) {
  if (prompts.empty()) throw UsageError("GRPO needs at least one prompt");
  if (options.groupSize < 2) throw UsageError("GRPO needs groups of at least 2 completions");
  if (options.steps < 1 || options.promptsPerStep < 1 || options.optimizationEpochs < 1 ||
      options.microBatchSize < 1) {
    throw UsageError("GRPO: steps, prompts per step, epochs and micro-batch must be >= 1");
  }
}

}  // namespace

GrpoResult runGrpo(const GrpoOptions& options, const std::vector<math::Problem>& prompts,
                   const math::Verifier& verifier, const GrpoCallbacks& callbacks) {
  validate(options, prompts);
  detail::TrainerSpec spec = detail::trainerSpecFor(options, options.steps);
  spec.name = "grpo";
  spec.tokenizerFrom = options.initialModel;
  spec.fingerprint = runFingerprint(options, prompts);
  spec.shouldStop = callbacks.shouldStop;
  spec.onCheckpoint = callbacks.onCheckpoint;
  detail::TrainerLoop loop(std::move(spec));
  GrpoResult result{.resumed = loop.resumed()};
  auto impl = std::make_unique<model::LanguageModel::Impl>();
  impl->module = loop.module();
  impl->device = loop.device();
  auto policy = model::LanguageModel::adopt(std::move(impl));
  auto tokenizer = tokenizer::Tokenizer::fromDirectory(options.initialModel);
  std::optional<model::LanguageModel> reference;
  if (options.klCoefficient > 0) {
    reference = model::LanguageModel::load(
        options.referenceModel.empty() ? options.initialModel : options.referenceModel,
        loop.device().str());
  }
  analysis::ExactDetector detector(search::defaultPhraseSet());
  auto countBacktracks = callbacks.countBacktracks
                             ? callbacks.countBacktracks
                             : std::function<int(std::string_view)>([&](std::string_view text) {
                                 return analysis::analyzeTrace(detector, text).backtracks;
                               });

  while (!loop.finished()) {
    auto started = std::chrono::steady_clock::now();
    // 1. Rollouts and advantages (sampled in shards, the same on every rank).
    loop.module()->eval();
    auto step = detail::collectRollouts(policy, tokenizer, prompts, verifier, options, loop.step(),
                                        countBacktracks, loop.communicator());
    // 2. Log-probabilities of the rollout policy (and the reference), this rank's micro-batches.
    std::vector<detail::CompletionBatch> batches;
    const std::size_t micro = std::size_t(options.microBatchSize);
    for (std::size_t first = 0; first < step.rollouts.size(); first += micro) {
      std::size_t last = std::min(step.rollouts.size(), first + micro);
      std::vector<std::vector<std::int32_t>> p(step.promptIds.begin() + std::ptrdiff_t(first),
                                               step.promptIds.begin() + std::ptrdiff_t(last));
      std::vector<std::vector<std::int32_t>> c(step.completionIds.begin() + std::ptrdiff_t(first),
                                               step.completionIds.begin() + std::ptrdiff_t(last));
      batches.push_back(detail::makeCompletionBatch(p, c, loop.device()));
    }
    auto scored = scoreBatches(loop, batches, reference);
    // 3. Optimisation epochs.
    double lr = loop.learningRate();
    auto totals = optimise(loop, options, batches, scored, step.advantages);

    GrpoStepMetrics metrics = stepMetrics(step, totals, scored, options);
    metrics.step = loop.step() + 1;
    metrics.totalSteps = options.steps;
    metrics.learningRate = lr;
    metrics.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ++result.stepsTaken;
    if (loop.isRankZero()) {
      writeRollouts(options.outputDir / "rollouts", metrics.step, step.rollouts);
      if (callbacks.onRollouts) callbacks.onRollouts(step.rollouts);
      if (callbacks.onStep) callbacks.onStep(metrics);
    }
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
