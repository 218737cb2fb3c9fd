// The memory plan of a pipeline config: for each stage, the model it works with, the shape of its
// work (training micro-batches, generation batches) and the bytes per GPU (memory_model.h), set
// against the GPU's memory. `astro plan` prints it, `astro pipeline check` warns from it and the
// studio's Launch view shows it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pipeline/pipeline_config.h"
#include "core/plan/byte_size.h"
#include "core/plan/memory_model.h"
#include "core/plan/stage_models.h"

namespace astro::plan {

struct PlanOptions {
  int gpus = 1;       // data-parallel ranks (on a CPU config: processes sharing the host)
  int zeroStage = 1;  // 1: ZeRO stage 1 on CUDA (master weights and moments sharded); 0: none
  std::int64_t gpuMemoryBytes = 80 * kGiB;  // per GPU, for a config whose device is CUDA
  std::int64_t hostMemoryBytes = 0;         // the host's memory, for a CPU config; 0: unchecked
  // Tokens of a prompt: the problem in the chat format, and for the search the steps so far. The
  // plan cannot know them from the config; MATH problems are a few hundred tokens.
  std::int64_t promptTokens = 512;
  // Kept free on every device: the CUDA context (~0.5 GiB) and the caching allocator's slack.
  std::int64_t reserveBytes = kGiB;
};

enum class StageWork { kNone, kTraining, kGeneration, kTrainingAndRollouts };

struct StagePlan {
  pipeline::StageKind kind = pipeline::StageKind::kSearch;
  int line = 0;
  StageWork work = StageWork::kNone;
  std::optional<PlannedModel> model;  // empty when the stage runs no model
  TrainingShape training;             // kTraining, kTrainingAndRollouts
  GenerationShape generation;         // kGeneration, kTrainingAndRollouts
  bool reference = false;             // GRPO with kl > 0 holds a frozen reference model
  int expansionsPerTree = 1;          // search: rows per tree in a batch (children)
  MemoryEstimate memory;
  bool fits = true;
  std::string advice;  // when it does not fit: what would, or what the engine lacks
};

struct PipelinePlan {
  std::string name;
  std::string source;
  std::string device;  // the config's
  EnginePolicy policy;
  std::int64_t deviceMemoryBytes = 0;  // per GPU, or the host's on a CPU config (0: unchecked)
  std::int64_t budgetBytes = 0;        // what one rank may use: memory / processes - reserve
  PlanOptions options;
  std::vector<StagePlan> stages;  // in run order, every stage of the config
  bool fits() const;
};

// Throws UsageError for options out of range and ParseError (file, line, key) when a stage's model
// cannot be resolved (stage_models.h).
PipelinePlan planPipeline(const pipeline::PipelineConfig& config, const PlanOptions& options);

// The stage's memory for its work and shapes under `policy` (the advice tries other shapes).
MemoryEstimate estimateStage(const StagePlan& stage, const EnginePolicy& policy);

std::string stageWorkName(StageWork work);  // "training", "generation", "training + rollouts", "-"

}  // namespace astro::plan
