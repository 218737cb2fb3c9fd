// Where a run's files live in the workspace: runs/<id>/ holds the worker's lock file and one
// folder per stage, "<position>-<kind>" (runs/3/4-sft/), which holds that stage's outputs and
// checkpoints. Folder names come from the run id and the stage kind only, never from anything a
// user typed, so nothing a config or a run name says can place a file outside the workspace.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/pipeline/pipeline_config.h"

namespace astro::pipeline {

class RunLayout {
 public:
  RunLayout(std::filesystem::path workspace, std::int64_t runId);

  const std::filesystem::path& workspace() const { return workspace_; }
  std::int64_t runId() const { return runId_; }
  std::filesystem::path runFolder() const;   // <workspace>/runs/<id>
  std::filesystem::path lockFile() const;    // runs/<id>/worker.lock
  std::filesystem::path cancelFile() const;  // runs/<id>/cancel-requested
  std::filesystem::path stageFolder(int position, StageKind kind) const;

  // The absolute path of `input` for the run whose stages are `config.stages` (positions 1..n).
  std::filesystem::path resolve(const InputRef& input, const PipelineConfig& config) const;

 private:
  std::filesystem::path workspace_;
  std::int64_t runId_;
};

// Where each named output lies inside its stage's folder: pretrain-base "model", "train", "test";
// search "trees"; linearize "astro", "direct"; sft and rl "model"; evaluate "samples".
std::filesystem::path stageOutput(StageKind kind, std::string_view output);

}  // namespace astro::pipeline
