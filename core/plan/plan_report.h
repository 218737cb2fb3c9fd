// The memory plan as people and programs read it: a text table (`astro plan`), one JSON object per
// stage (`astro plan --json`, the studio's Launch view) and one warning line per stage that does
// not fit (`astro pipeline check`).
#pragma once

#include <string>
#include <vector>

#include "core/plan/stage_plan.h"

namespace astro::plan {

std::string planText(const PipelinePlan& plan);

// {"name", "source", "device", "gpus", "zero", "device_memory", "budget", "prompt_tokens",
//  "fits", "stages": [{"stage", "line", "work", "model", "model_source", "parameters",
//  "micro_batch", "sequence_length", "generation_rows", "generation_tokens", "weights",
//  "gradients", "step_buffer", "optimizer", "activations", "kv_cache", "workspace", "total",
//  "fits", "advice"}]}; byte counts are integers, a stage without a model has zeros and no model.
std::string planJson(const PipelinePlan& plan);

// "<source>:<line>: stage 'sft' needs 97.1 GiB per GPU, more than the 79.0 GiB one of 1 GPU(s)
// of 80.0 GiB leaves: <advice>", one per stage that does not fit.
std::vector<std::string> planWarnings(const PipelinePlan& plan);

}  // namespace astro::plan
