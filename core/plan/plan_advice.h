// What a stage that does not fit would need, in words a researcher can act on: more GPUs (ZeRO-1
// shards the optimizer), a smaller micro-batch, shorter rows, fewer rows decoded together, or,
// where nothing the engine offers is enough, what it would take (tensor or pipeline parallelism,
// activation checkpointing, fused attention).
#pragma once

#include <cstdint>
#include <string>

#include "core/plan/stage_plan.h"

namespace astro::plan {

// `budget`: bytes one rank may use. Tries other rank counts and shapes with estimateStage.
std::string adviseStage(const StagePlan& stage, const EnginePolicy& policy, std::int64_t budget);

}  // namespace astro::plan
