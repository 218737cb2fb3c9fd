// The advice for a stage that does not fit (plan_advice.h): each knob searched on its own, the
// others left as the config has them, by bisection over the (monotone) estimate.
#include "core/plan/plan_advice.h"

#include <functional>
#include <string>
#include <vector>

namespace astro::plan {

using pipeline::StageKind;

namespace {

constexpr int kMaxRanks = 4096;
constexpr int kUnboundedRanks = 1 << 20;  // ZeRO-1 with the optimizer's share ~0

bool fits(const StagePlan& stage, const EnginePolicy& policy, std::int64_t budget) {
  return estimateStage(stage, policy).total() <= budget;
}

// The largest value in [1, high] for which `ok` holds (ok is monotone: true below some value), or
// 0 when not even 1 works.
std::int64_t largest(std::int64_t high, const std::function<bool(std::int64_t)>& ok) {
  if (high < 1 || !ok(1)) return 0;
  std::int64_t low = 1;
  while (low < high) {
    std::int64_t middle = low + (high - low + 1) / 2;
    if (ok(middle)) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

bool hasTraining(const StagePlan& s) {
  return s.work == StageWork::kTraining || s.work == StageWork::kTrainingAndRollouts;
}
bool hasGeneration(const StagePlan& s) {
  return s.work == StageWork::kGeneration || s.work == StageWork::kTrainingAndRollouts;
}

// The smallest work the stage could do: one row of one token.
StagePlan smallest(StagePlan stage) {
  stage.training = {.rows = 1, .tokens = 1};
  stage.generation.rows = std::min<std::int64_t>(stage.generation.rows, 1);
  stage.generation.promptTokens = std::min<std::int64_t>(stage.generation.promptTokens, 1);
  stage.generation.newTokens = std::min<std::int64_t>(stage.generation.newTokens, 1);
  stage.generation.storedPrefixBytes = 0;
  return stage;
}

struct Keys {
  const char* rows;
  const char* tokens;
};
Keys trainingKeys(StageKind kind) {
  switch (kind) {
    case StageKind::kPretrainBase: return {"pretrain-base.rows_per_micro_batch", "pretrain-base.row_length"};
    case StageKind::kSft: return {"sft.rows_per_micro_batch", "sft.row_length (or max_length)"};
    default: return {"rl.micro_batch", "rl.max_new_tokens (prompt included)"};
  }
}

std::string trainingAdvice(const StagePlan& stage, const EnginePolicy& policy, std::int64_t budget) {
  Keys keys = trainingKeys(stage.kind);
  StagePlan trial = stage;
  trial.generation = smallest(stage).generation;  // GRPO: the training phase alone
  if (fits(trial, policy, budget)) return {};
  std::int64_t rows = largest(stage.training.rows, [&](std::int64_t b) {
    trial.training.rows = b;
    return fits(trial, policy, budget);
  });
  if (rows > 0) return "micro-batch of at most " + std::to_string(rows) + " rows (" + keys.rows + ")";
  trial.training.rows = 1;
  std::int64_t tokens = largest(stage.training.tokens, [&](std::int64_t t) {
    trial.training.tokens = t;
    return fits(trial, policy, budget);
  });
  return "rows of at most " + std::to_string(tokens) + " tokens at one row per micro-batch (" +
         keys.tokens + ", " + keys.rows +
         " = 1): every layer keeps its activations and T x T attention scores for backward; "
         "longer rows need activation checkpointing or fused attention, which the engine does "
         "not offer";
}

std::string generationAdvice(const StagePlan& stage, const EnginePolicy& policy,
                             std::int64_t budget) {
  StagePlan trial = stage;
  trial.training = smallest(stage).training;  // GRPO: the rollout phase alone
  if (fits(trial, policy, budget)) return {};
  std::int64_t rows = largest(stage.generation.rows, [&](std::int64_t r) {
    trial.generation.rows = r;
    return fits(trial, policy, budget);
  });
  if (rows > 0 && stage.kind == StageKind::kSearch) {
    std::int64_t trees = std::max<std::int64_t>(1, rows / stage.expansionsPerTree);
    return "at most " + std::to_string(rows) + " rows decoded together (search.trees_per_batch <= " +
           std::to_string(trees) + ")";
  }
  if (rows > 0 && stage.kind == StageKind::kEvaluate) {
    return "at most " + std::to_string(rows) + " rows decoded together (evaluate.batch_size)";
  }
  trial.generation.rows = stage.kind == StageKind::kRl ? stage.generation.rows : 1;
  std::int64_t tokens = largest(stage.generation.newTokens, [&](std::int64_t t) {
    trial.generation.newTokens = t;
    return fits(trial, policy, budget);
  });
  std::string key = std::string(pipeline::stageKindName(stage.kind)) + ".max_new_tokens";
  if (tokens == 0) {
    return "even one new token does not fit: " + std::to_string(trial.generation.rows) +
           " row(s) of a " + std::to_string(stage.generation.promptTokens) +
           "-token prompt need more than the model leaves" +
           (stage.kind == StageKind::kRl
                ? " (the RL stage decodes its rollouts " + std::to_string(stage.generation.rows) +
                      " at a time, no key changes it; more GPUs shrink the optimizer's share)"
                : "");
  }
  if (stage.kind == StageKind::kRl) {
    return "rollouts of at most " + std::to_string(tokens) + " new tokens (" + key + "; the " +
           std::to_string(stage.generation.rows) + " rollouts decoded together are the engine's " +
           "batch, no key changes it)";
  }
  return "at most " + std::to_string(tokens) + " new tokens (" + key + ")";
}

}  // namespace

std::string adviseStage(const StagePlan& stage, const EnginePolicy& policy, std::int64_t budget) {
  if (!stage.model) return {};
  const bool shardable = policy.cuda && policy.zeroStage >= 1 && hasTraining(stage);
  // 1. Not even one token of work fits with the optimizer sharded away: the replicated part is
  // too large for data parallelism.
  EnginePolicy unbounded = policy;
  if (shardable) unbounded.ranks = kUnboundedRanks;
  if (!fits(smallest(stage), unbounded, budget)) {
    std::string what = hasTraining(stage)
                           ? "weights and gradients (replicated on every GPU "
                             "under data parallelism + ZeRO-1)"
                           : "weights (every GPU holds the whole model)";
    return std::string("needs more than the engine offers: tensor or pipeline parallelism") +
           (hasTraining(stage) ? " (or ZeRO-2/3)" : "") + "; its " + what +
           " alone exceed one GPU's budget";
  }
  // 2. More GPUs, the shapes as configured.
  if (shardable) {
    EnginePolicy more = policy;
    for (more.ranks = policy.ranks + 1; more.ranks <= kMaxRanks; ++more.ranks) {
      if (fits(stage, more, budget)) {
        return std::to_string(more.ranks) + " GPUs with ZeRO-1 (--gpus " +
               std::to_string(more.ranks) + ")";
      }
    }
  }
  // 3. Smaller work on the fewest GPUs that hold the model's state, rounded up to a power of two
  // (GPUs come in nodes of 4 or 8; the fewest alone would leave room for almost no tokens).
  EnginePolicy chosen = policy;
  if (shardable && !fits(smallest(stage), chosen, budget)) {
    while (chosen.ranks < kMaxRanks && !fits(smallest(stage), chosen, budget)) ++chosen.ranks;
    int rounded = 1;
    while (rounded < chosen.ranks) rounded *= 2;
    chosen.ranks = std::min(rounded, kMaxRanks);
  }
  std::vector<std::string> parts;
  if (hasTraining(stage)) parts.push_back(trainingAdvice(stage, chosen, budget));
  if (hasGeneration(stage)) parts.push_back(generationAdvice(stage, chosen, budget));
  std::string advice;
  for (const auto& part : parts) {
    if (!part.empty()) advice += (advice.empty() ? "" : "; and ") + part;
  }
  if (chosen.ranks > policy.ranks) {
    advice = std::to_string(chosen.ranks) + " GPUs with ZeRO-1, and " + advice;
  }
  return advice;
}

}  // namespace astro::plan
