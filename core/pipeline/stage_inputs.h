// The named inputs of each stage (what it reads, from the config or from earlier stages), which
// the worker resolves to paths, hashes and records before the stage runs and checks on resume.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/pipeline/pipeline_config.h"

namespace astro::pipeline {

// Names are unique per stage: "dataset", "model", "tokenizer", "trees", "phrases", "data",
// "samples", and for evaluate "model:<label>" and "dataset:<label>".
std::vector<std::pair<std::string, InputRef>> stageInputs(const StageConfig& stage);

}  // namespace astro::pipeline
