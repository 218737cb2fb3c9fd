// Helpers for stages that drive a resumable trainer (SFT, GRPO, the world's base pretraining),
// whose output folder holds checkpoint-<step>/, latest.json and, once done, final/.
#pragma once

#include <filesystem>
#include <string>

#include "core/base/error.h"

namespace astro::pipeline {

// True when `folder`/final holds a model (training finished and was published).
bool hasFinalModel(const std::filesystem::path& folder);

// A kill after the trainer's last checkpoint but before final/ was published leaves a finished
// run the trainer refuses to resume ("already finished"). When `error` is that refusal and
// latest.json names a checkpoint, copies it (without optimizer state) to final/ atomically and
// returns true; otherwise false. With `write` false (the other ranks of a data-parallel run, whose
// rank 0 publishes) it only says whether it would publish.
bool publishFinishedTraining(const std::filesystem::path& folder, const Error& error,
                             bool write = true);

// Workspace-relative path of a checkpoint, as the stages table records it.
std::string checkpointText(const std::filesystem::path& checkpoint,
                           const std::filesystem::path& workspace);

}  // namespace astro::pipeline
