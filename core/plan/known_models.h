// config.json values of a few public models the presets name, so `astro plan` can plan a preset
// on a laptop that has none of the checkpoints. Only the architecture numbers; no weights.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/model_config.h"

namespace astro::plan {

// By a checkpoint folder's name, case-insensitively, with or without "Meta-" and "-Instruct"
// ("Llama-3.1-8B-Instruct", "meta-llama-3.1-70b"). Empty when the name is not one of them.
std::optional<model::ModelConfig> knownModelConfig(std::string_view folderName);

std::vector<std::string> knownModelNames();  // "Llama-3.1-8B", ...

}  // namespace astro::plan
