// Inputs of a run's stages, by content: recorded (path, SHA-256) when first used, and checked
// again before a resume, so an interrupted stage never continues on different data or weights.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/store/workspace.h"

namespace astro::pipeline {

// Hashes and records each input of `stage` that has no record yet; returns how many it recorded.
int recordStageInputs(store::Workspace& workspace, const store::Stage& stage,
                      const std::map<std::string, std::filesystem::path>& inputs);

// Re-hashes every recorded input of the given stages; throws astro::Error naming the stage, the
// input, its path and both hashes at the first one that changed (or disappeared).
void verifyRecordedInputs(store::Workspace& workspace, std::int64_t runId,
                          const std::vector<store::Stage>& stages);

}  // namespace astro::pipeline
