// The named inputs of each stage (what it reads, from the config or from earlier stages), which
// the worker resolves to paths, hashes and records before the stage runs and checks on resume.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/pipeline/pipeline_config.h"

namespace astro::pipeline {

// Names are unique per stage: "dataset", "model", "tokenizer", "trees", "phrases", "data",
// "samples", "curation-tokenizer" (rl with a curation_model endpoint), and for evaluate
// "model:<label>" (or "tokenizer:<label>" for a served model) and "dataset:<label>". A stage
// whose model is an endpoint has its tokenizer folder as an input instead of a model folder.
std::vector<std::pair<std::string, InputRef>> stageInputs(const StageConfig& stage);

}  // namespace astro::pipeline
