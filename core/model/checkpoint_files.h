// A Hugging Face checkpoint folder on disk without libtorch: config.json plus model.safetensors
// or shards listed in model.safetensors.index.json. Opening checks that the tensors present are
// exactly those the config needs, with the right shapes and a float dtype.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/model/model_config.h"
#include "core/model/safetensors.h"

namespace astro::model {

struct ExpectedTensor {
  std::string name;  // Hugging Face name, e.g. "model.layers.0.self_attn.q_proj.weight"
  std::vector<int64_t> shape;
};

// Every tensor of the architecture in Hugging Face order and naming.
std::vector<ExpectedTensor> expectedTensors(const ModelConfig& config);

struct CheckpointTensor {
  const SafetensorsFile* file = nullptr;
  const TensorInfo* info = nullptr;
};

class CheckpointFiles {
 public:
  // Throws Error naming the file and tensor at fault: missing config or weights, malformed
  // safetensors, a tensor missing, extra, in the wrong shard, of the wrong shape or dtype.
  explicit CheckpointFiles(const std::filesystem::path& folder);

  const ModelConfig& config() const { return config_; }
  // The stored tensor for an expected name (always present after construction).
  CheckpointTensor tensor(const std::string& name) const;

 private:
  ModelConfig config_;
  std::vector<std::unique_ptr<SafetensorsFile>> shards_;
  std::map<std::string, CheckpointTensor> tensors_;
};

// Writes config.json and model.safetensors into `folder` (created if needed), each atomically, and
// removes a stale model.safetensors.index.json so loaders do not read old shards.
void writeCheckpointFiles(const std::filesystem::path& folder, const ModelConfig& config,
                          const std::vector<TensorToWrite>& tensors);

}  // namespace astro::model
