#include "core/train/grpo_trainer.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "core/analysis/exact_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/model/detail/fused_adamw.h"
#include "core/model/detail/language_model_impl.h"
#include "core/model/runtime.h"
#include "core/search/phrase_set.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/detail/checkpoint_state.h"
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
          {"grad_clip", o.gradientClip}, {"seed", o.seed}};
}

// Prompts of step `step`: consecutive slices of per-epoch seeded shuffles of the prompt set.
std::vector<std::size_t> stepPrompts(std::size_t count, const GrpoOptions& options, int step) {
  std::vector<std::size_t> chosen;
  for (int i = 0; i < options.promptsPerStep; ++i) {
    std::size_t flat = std::size_t(step) * std::size_t(options.promptsPerStep) + std::size_t(i);
    std::size_t epoch = flat / count;
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937_64(options.seed * 7919ULL + epoch));
    chosen.push_back(order[flat % count]);
  }
  return chosen;
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

GrpoResult runGrpo(const GrpoOptions& options, const std::vector<math::Problem>& prompts,
                   const math::Verifier& verifier, const GrpoCallbacks& callbacks) {
  if (prompts.empty()) throw UsageError("GRPO needs at least one prompt");
  if (options.groupSize < 2) throw UsageError("GRPO needs groups of at least 2 completions");
  if (options.steps < 1 || options.promptsPerStep < 1 || options.optimizationEpochs < 1 ||
      options.microBatchSize < 1) {
    throw UsageError("GRPO: steps, prompts per step, epochs and micro-batch must be >= 1");
  }
  model::initTorchRuntime();
  fs::create_directories(options.outputDir);
  auto fingerprint = runFingerprint(options, prompts);
  GrpoResult result;
  int step = 0;
  fs::path startModel = options.initialModel;
  auto resume = detail::readLatestCheckpoint(options.outputDir);
  if (resume) {
    if (resume->fingerprint != fingerprint) {
      throw Error(options.outputDir.string() + ": the checkpoint " + resume->folder.string() +
                  " was made with other prompts or options; use a new output folder");
    }
    if (resume->step >= options.steps) {
      throw Error(options.outputDir.string() + ": this run already finished (" +
                  std::to_string(resume->step) + " of " + std::to_string(options.steps) +
                  " steps); nothing to resume");
    }
    step = resume->step;
    startModel = resume->folder;
    result.resumed = true;
  }

  auto policy = model::LanguageModel::load(startModel, options.device);
  auto& module = policy.impl().module;
  torch::Device device = policy.impl().device;
  auto tokenizer = tokenizer::Tokenizer::fromDirectory(options.initialModel);
  std::optional<model::LanguageModel> reference;
  if (options.klCoefficient > 0) {
    reference = model::LanguageModel::load(
        options.referenceModel.empty() ? options.initialModel : options.referenceModel,
        options.device);
  }
  model::detail::FusedAdamW optimizer(module->parameters(),
                                      torch::optim::AdamWOptions(options.learningRate)
                                          .betas({options.beta1, options.beta2})
                                          .weight_decay(options.weightDecay));
  if (resume) detail::loadOptimizerState(optimizer, resume->folder);
  LrSchedule schedule{.peakLearningRate = options.learningRate, .warmupSteps = options.warmupSteps,
                      .totalSteps = options.steps, .decay = options.decay};
  analysis::ExactDetector detector(search::defaultPhraseSet());
  auto countBacktracks = callbacks.countBacktracks
                             ? callbacks.countBacktracks
                             : std::function<int(std::string_view)>([&](std::string_view text) {
                                 return analysis::analyzeTrace(detector, text).backtracks;
                               });
  detail::GrpoLossOptions lossOptions{.clipLow = options.clipLow, .clipHigh = options.clipHigh,
                                      .klCoefficient = options.klCoefficient,
                                      .aggregation = options.aggregation};
  auto checkpoint = [&](int atStep) {
    auto folder = detail::writeCheckpoint(options.outputDir, atStep, fingerprint,
                                          [&](const fs::path& into) {
                                            policy.save(into);
                                            detail::copyTokenizerFiles(options.initialModel, into);
                                            detail::saveOptimizerState(optimizer, into);
                                          });
    detail::pruneCheckpoints(options.outputDir, options.keepCheckpoints);
    if (callbacks.onCheckpoint) callbacks.onCheckpoint(folder, atStep);
  };

  while (step < options.steps) {
    auto started = std::chrono::steady_clock::now();
    // 1. Rollouts: G completions per prompt from the current policy, seeded by the step.
    auto chosen = stepPrompts(prompts.size(), options, step);
    std::vector<std::vector<std::int32_t>> promptIds, rolloutPrompts;
    for (std::size_t index : chosen) promptIds.push_back(problemPrompt(prompts[index], tokenizer));
    for (const auto& ids : promptIds) {
      for (int g = 0; g < options.groupSize; ++g) rolloutPrompts.push_back(ids);
    }
    model::GenerationOptions generation{.maxNewTokens = options.maxNewTokens,
                                        .temperature = options.temperature,
                                        .topP = options.topP,
                                        .seed = options.seed * 1000003ULL + std::uint64_t(step),
                                        .stopIds = tokenizer.stopIds()};
    module->eval();
    auto generated = policy.generate(rolloutPrompts, generation);

    // 2. Rewards (+1 correct, -1 otherwise) and group-relative advantages.
    std::vector<GrpoRollout> rollouts;
    std::vector<double> rewards;
    std::vector<std::vector<std::int32_t>> completions;
    for (std::size_t i = 0; i < generated.size(); ++i) {
      const auto& problem = prompts[chosen[i / std::size_t(options.groupSize)]];
      GrpoRollout rollout;
      rollout.step = step + 1;
      rollout.group = int(i) / options.groupSize;
      rollout.indexInGroup = int(i) % options.groupSize;
      rollout.problemId = problem.id;
      rollout.prompt = problem.question;
      rollout.completion = tokenizer.decode(generated[i].ids, true);
      rollout.tokens = int(generated[i].ids.size());
      const math::Verdict verdict = verifier.grade(problem, rollout.completion);
      rollout.correct = verdict.correct;
      rollout.extracted = verdict.extracted;
      rollout.reward = rollout.correct ? 1.0 : -1.0;
      rollout.backtracks = countBacktracks(rollout.completion);
      rewards.push_back(rollout.reward);
      completions.push_back(generated[i].ids);
      rollouts.push_back(std::move(rollout));
    }
    auto advantages = groupAdvantages(rewards, options.groupSize,
                                      {.divideByStd = options.divideByStd});
    for (std::size_t i = 0; i < rollouts.size(); ++i) rollouts[i].advantage = advantages[i];

    // 3. Log-probabilities of the rollout policy (and the reference) once, without grad.
    std::size_t count = rollouts.size();
    std::size_t micro = std::size_t(options.microBatchSize);
    std::vector<detail::CompletionBatch> batches;
    std::vector<torch::Tensor> oldLogprobs, referenceLogprobs;
    double entropySum = 0, tokenTotal = 0;
    for (std::size_t first = 0; first < count; first += micro) {
      std::size_t last = std::min(count, first + micro);
      std::vector<std::vector<std::int32_t>> p(rolloutPrompts.begin() + std::ptrdiff_t(first),
                                               rolloutPrompts.begin() + std::ptrdiff_t(last));
      std::vector<std::vector<std::int32_t>> c(completions.begin() + std::ptrdiff_t(first),
                                               completions.begin() + std::ptrdiff_t(last));
      batches.push_back(detail::makeCompletionBatch(p, c, device));
      torch::NoGradGuard noGrad;
      auto old = detail::completionLogprobs(module, batches.back(), true);
      oldLogprobs.push_back(old.logprobs);
      entropySum += old.entropy.sum().item<double>();
      tokenTotal += batches.back().mask.sum().item<double>();
      if (reference) {
        referenceLogprobs.push_back(
            detail::completionLogprobs(reference->impl().module, batches.back(), false).logprobs);
      }
    }
    double normalizer = options.aggregation == LossAggregation::TokenMean
                            ? std::max(1.0, tokenTotal) : double(count);

    // 4. Optimisation epochs over the batch; one optimizer step per epoch.
    module->train();
    double lr = schedule.at(step);
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    }
    double gradNorm = 0, kl = 0, klToRollout = 0, clipFraction = 0;
    auto advantageTensor = torch::tensor(std::vector<float>(advantages.begin(), advantages.end()));
    for (int epoch = 0; epoch < options.optimizationEpochs; ++epoch) {
      optimizer.zero_grad();
      kl = klToRollout = clipFraction = 0;
      for (std::size_t b = 0; b < batches.size(); ++b) {
        auto current = detail::completionLogprobs(module, batches[b], false);
        detail::GrpoLossInputs inputs{
            .logprobs = current.logprobs,
            .oldLogprobs = oldLogprobs[b],
            .referenceLogprobs = reference ? referenceLogprobs[b] : torch::Tensor(),
            .advantages = advantageTensor.narrow(0, int64_t(b * micro), batches[b].mask.size(0)).to(device),
            .mask = batches[b].mask,
            .normalizer = normalizer};
        auto loss = detail::grpoLoss(inputs, lossOptions);
        loss.loss.backward();
        double share = batches[b].mask.sum().item<double>() / std::max(1.0, tokenTotal);
        kl += loss.kl * share;
        klToRollout += loss.klToRollout * share;
        clipFraction += loss.clipFraction * share;
      }
      gradNorm = detail::clipGradients(module->parameters(), options.gradientClip);
      optimizer.step();
    }
    ++step;
    writeRollouts(options.outputDir / "rollouts", step, rollouts);
    if (callbacks.onRollouts) callbacks.onRollouts(rollouts);

    GrpoStepMetrics metrics{.step = step, .totalSteps = options.steps};
    for (const auto& r : rollouts) {
      metrics.rewardMean += r.reward / double(count);
      metrics.responseLength += r.tokens / double(count);
      metrics.backtracksPerResponse += r.backtracks / double(count);
    }
    metrics.zeroVarianceGroups = zeroVarianceGroupFraction(rewards, options.groupSize);
    metrics.kl = kl;
    metrics.klToRollout = klToRollout;
    metrics.clipFraction = clipFraction;
    metrics.entropy = entropySum / std::max(1.0, tokenTotal);
    metrics.learningRate = lr;
    metrics.gradNorm = gradNorm;
    metrics.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ++result.stepsTaken;
    if (callbacks.onStep) callbacks.onStep(metrics);

    bool stopRequested = callbacks.shouldStop && callbacks.shouldStop();
    bool due = options.checkpointEvery > 0 && step % options.checkpointEvery == 0;
    if (step < options.steps && (due || stopRequested)) checkpoint(step);
    if (stopRequested && step < options.steps) {
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
