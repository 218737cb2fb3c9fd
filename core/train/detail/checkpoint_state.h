// Trainer checkpoints (private to core/train): outputDir/checkpoint-<step>/ holds the model in HF
// layout, the tokenizer files, optimizer.pt and trainer_state.json; outputDir/latest.json names
// the newest complete one. A folder is written under a temporary name and renamed into place, and
// latest.json is replaced atomically, so a kill at any moment leaves the previous checkpoint.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

namespace astro::train::detail {

struct CheckpointRef {
  std::filesystem::path folder;
  int step = 0;
  nlohmann::json fingerprint;
};

std::optional<CheckpointRef> readLatestCheckpoint(const std::filesystem::path& outputDir);

// Calls fill(tempFolder), writes trainer_state.json, renames to checkpoint-<step>, updates
// latest.json; returns the final folder.
std::filesystem::path writeCheckpoint(
    const std::filesystem::path& outputDir, int step, const nlohmann::json& fingerprint,
    const std::function<void(const std::filesystem::path&)>& fill);

// Keeps the newest `keep` checkpoint-<step> folders (never the one latest.json names).
void pruneCheckpoints(const std::filesystem::path& outputDir, int keep);

// Copies checkpoint-<step> to outputDir/final (atomically replaced) and returns it.
std::filesystem::path publishFinalModel(const std::filesystem::path& outputDir, int step);

void copyTokenizerFiles(const std::filesystem::path& from, const std::filesystem::path& to);

void saveOptimizerState(torch::optim::Optimizer& optimizer, const std::filesystem::path& folder);
void loadOptimizerState(torch::optim::Optimizer& optimizer, const std::filesystem::path& folder);

}  // namespace astro::train::detail
