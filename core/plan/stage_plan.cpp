// Planning each stage of a pipeline config (stage_plan.h): its model, the shape of its work from
// the stage's options (the libraries' defaults where the config is silent), and the estimate.
#include "core/plan/stage_plan.h"

#include <algorithm>
#include <limits>

#include "core/base/error.h"
#include "core/model/language_model.h"
#include "core/plan/plan_advice.h"
#include "core/search/policy_language_model.h"

namespace astro::plan {

using pipeline::StageKind;

namespace {

std::string field(const pipeline::StageConfig& stage, const char* key) {
  return std::string(pipeline::stageKindName(stage.kind)) + "." + key;
}

void planTraining(const pipeline::PipelineConfig& config, const pipeline::StageConfig& stage,
                  const PlanOptions& options, StagePlan& plan) {
  if (const auto* base = std::get_if<pipeline::PretrainBaseStage>(&stage.parameters)) {
    // The base policy trained from scratch on the world's model config.
    pipeline::InputRef self{.path = {}, .stage = StageKind::kPretrainBase, .output = "model"};
    plan.model = resolveStageModel(config, self, stage.line, field(stage, "model_config"));
    plan.work = StageWork::kTraining;
    plan.training = {.rows = base->options.rowsPerMicroBatch, .tokens = base->options.rowLength};
  } else if (const auto* sft = std::get_if<pipeline::SftStage>(&stage.parameters)) {
    plan.model = resolveStageModel(config, sft->model, stage.line, field(stage, "model"));
    plan.work = StageWork::kTraining;
    const auto& o = sft->options;
    plan.training = {.rows = o.rowsPerMicroBatch,
                     .tokens = o.rowLength > 0 ? o.rowLength : o.maxSequenceLength};
  } else if (const auto* rl = std::get_if<pipeline::RlStage>(&stage.parameters)) {
    plan.model = resolveStageModel(config, rl->model, stage.line, field(stage, "model"));
    plan.work = StageWork::kTrainingAndRollouts;
    const auto& o = rl->options;
    // Completions are trained `micro_batch` at a time, each its prompt plus the completion.
    plan.training = {.rows = o.microBatchSize, .tokens = options.promptTokens + o.maxNewTokens};
    // Rollouts: prompts x group completions, decoded in batches of the engine's default size.
    std::int64_t rollouts = std::int64_t(o.promptsPerStep) * o.groupSize;
    plan.generation = {
        .rows = std::min<std::int64_t>(rollouts, model::GenerationOptions{}.maxBatchSize),
        .promptTokens = options.promptTokens,
        .newTokens = o.maxNewTokens};
    plan.reference = o.klCoefficient > 0;
  }
}

void planGeneration(const pipeline::PipelineConfig& config, const pipeline::StageConfig& stage,
                    const PlanOptions& options, StagePlan& plan) {
  if (const auto* search = std::get_if<pipeline::SearchStage>(&stage.parameters)) {
    if (search->endpoint) return;  // a server holds the model: nothing on this job's GPUs
    plan.model = resolveStageModel(config, search->model, stage.line, field(stage, "model"));
    plan.work = StageWork::kGeneration;
    // Expansions decode k rows per tree for one step; rollouts one row per tree to the answer
    // (capped by the policy's rollout length). The batch whose cache is larger is planned.
    const search::LanguageModelPolicyOptions policy;
    const auto& mcts = search->mcts;
    std::int64_t expansionRows = std::min<std::int64_t>(
        std::int64_t(mcts.treesPerBatch) * mcts.childrenPerExpansion, policy.maxBatchSize);
    std::int64_t rolloutRows = std::min<std::int64_t>(mcts.treesPerBatch, policy.maxBatchSize);
    std::int64_t rolloutTokens = std::min(policy.maxRolloutTokens, mcts.maxDepth * mcts.maxStepTokens);
    bool expansions = expansionRows * (options.promptTokens + mcts.maxStepTokens) >=
                      rolloutRows * (options.promptTokens + rolloutTokens);
    plan.expansionsPerTree = expansions ? mcts.childrenPerExpansion : 1;
    plan.generation = {.rows = expansions ? expansionRows : rolloutRows,
                       .promptTokens = options.promptTokens,
                       .newTokens = expansions ? mcts.maxStepTokens : rolloutTokens,
                       .storedPrefixBytes = policy.reusePrefixes ? policy.prefixStoreBytes : 0};
  } else if (const auto* evaluate = std::get_if<pipeline::EvaluateStage>(&stage.parameters)) {
    // Models are evaluated one after the other: the largest one decides.
    for (const auto& each : evaluate->models) {
      if (each.endpoint) continue;  // served elsewhere
      PlannedModel planned = resolveStageModel(config, each.model, stage.line,
                                               field(stage, "models") + " '" + each.label + "'");
      if (!plan.model || planned.config.parameterCount() > plan.model->config.parameterCount()) {
        plan.model = std::move(planned);
      }
    }
    if (!plan.model) return;
    plan.work = StageWork::kGeneration;
    plan.generation = {.rows = evaluate->options.batchSize,
                       .promptTokens = options.promptTokens,
                       .newTokens = evaluate->options.maxNewTokens};
  }
}

void validate(const PlanOptions& options) {
  if (options.gpus < 1 || options.gpus > 65536) {
    throw UsageError("--gpus " + std::to_string(options.gpus) + ": expected 1 to 65536");
  }
  if (options.zeroStage < 0 || options.zeroStage > 1) {
    throw UsageError("--zero " + std::to_string(options.zeroStage) +
                     ": the engine offers ZeRO stage 0 or 1");
  }
  if (options.promptTokens < 1) throw UsageError("--prompt-tokens must be at least 1");
}

}  // namespace

bool PipelinePlan::fits() const {
  return std::all_of(stages.begin(), stages.end(), [](const StagePlan& s) { return s.fits; });
}

std::string stageWorkName(StageWork work) {
  switch (work) {
    case StageWork::kTraining: return "training";
    case StageWork::kGeneration: return "generation";
    case StageWork::kTrainingAndRollouts: return "training + rollouts";
    case StageWork::kNone: break;
  }
  return "-";
}

MemoryEstimate estimateStage(const StagePlan& stage, const EnginePolicy& policy) {
  if (!stage.model) return {};
  const model::ModelConfig& config = stage.model->config;
  switch (stage.work) {
    case StageWork::kTraining: return trainingMemory(config, policy, stage.training);
    case StageWork::kGeneration: {
      // Generation holds no gradients and no optimizer: ZeRO and the rank count change nothing.
      return generationMemory(config, policy, stage.generation);
    }
    case StageWork::kTrainingAndRollouts:
      return grpoMemory(config, policy, stage.training, stage.generation, stage.reference);
    case StageWork::kNone: break;
  }
  return {};
}

PipelinePlan planPipeline(const pipeline::PipelineConfig& config, const PlanOptions& options) {
  validate(options);
  PipelinePlan plan;
  plan.name = config.name;
  plan.source = config.source;
  plan.device = config.device;
  plan.options = options;
  plan.policy = {.cuda = config.device.starts_with("cuda"),
                 .ranks = options.gpus,
                 .zeroStage = options.zeroStage};
  if (plan.policy.cuda) {
    plan.deviceMemoryBytes = options.gpuMemoryBytes;
    plan.budgetBytes = options.gpuMemoryBytes - options.reserveBytes;
  } else if (options.hostMemoryBytes > 0) {
    // CPU ranks are processes on one host: they share its memory.
    plan.deviceMemoryBytes = options.hostMemoryBytes;
    plan.budgetBytes = options.hostMemoryBytes / options.gpus - options.reserveBytes;
  } else {
    plan.budgetBytes = std::numeric_limits<std::int64_t>::max();
  }
  for (const auto& stage : config.stages) {
    StagePlan stagePlan{.kind = stage.kind, .line = stage.line};
    planTraining(config, stage, options, stagePlan);
    planGeneration(config, stage, options, stagePlan);
    stagePlan.memory = estimateStage(stagePlan, plan.policy);
    stagePlan.fits = stagePlan.memory.total() <= plan.budgetBytes;
    if (!stagePlan.fits) stagePlan.advice = adviseStage(stagePlan, plan.policy, plan.budgetBytes);
    plan.stages.push_back(std::move(stagePlan));
  }
  return plan;
}

}  // namespace astro::plan
