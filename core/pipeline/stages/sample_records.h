// What the evaluate and rl stages keep in the run store's samples table (core/store
// sample_repository.h): every graded evaluation sample with its trace statistics, and every GRPO
// rollout with its reward and advantage. Each call replaces one set (an evaluation unit, or one
// RL step) in one transaction, so a stage that redoes a unit or a step after a resume leaves
// exactly one copy.
#pragma once

#include <string>
#include <vector>

#include "core/analysis/trace_detector.h"
#include "core/math/problem.h"
#include "core/pipeline/stage_context.h"
#include "core/train/evaluation.h"
#include "core/train/grpo_trainer.h"

namespace astro::pipeline {

// The samples of model `checkpoint` on `benchmark` (whose problems `result` indexes).
void recordEvaluationSamples(StageContext& context, const std::string& checkpoint,
                             const std::string& benchmark,
                             const std::vector<math::Problem>& problems,
                             const train::EvaluationResult& result);

// One GRPO step's rollouts (all of the same step), with steps, restarts and reflections counted
// by `detector` (the one GRPO counted their backtracks with).
void recordRollouts(StageContext& context, const std::string& benchmark,
                    const std::vector<train::GrpoRollout>& rollouts,
                    const analysis::TraceDetector& detector);

}  // namespace astro::pipeline
