// Which model each stage of a pipeline config works with, as a config.json: a model folder that
// exists, a known public model by its folder's name (known_models.h) when the folder is not on
// this machine, the miniature world's model for pretrain-base's output, and for the output of sft
// or rl the model that stage started from (the same architecture).
#pragma once

#include <string>

#include "core/model/model_config.h"
#include "core/pipeline/pipeline_config.h"

namespace astro::plan {

struct PlannedModel {
  model::ModelConfig config;
  std::string label;   // "Llama-3.1-8B-Instruct", "world tiny"
  std::string source;  // the config.json read, or "built-in table" for a known model
};

// Throws ParseError "<config>:<line>: field '<stage>.<key>': ..." when a path exists without a
// readable config.json, or does not exist and names no known model.
PlannedModel resolveStageModel(const pipeline::PipelineConfig& config,
                               const pipeline::InputRef& input, int line, const std::string& field);

}  // namespace astro::plan
