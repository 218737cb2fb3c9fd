#include "core/model/checkpoint_files.h"

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::model {

namespace {

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

// Tensors some exporters add that carry no weights of their own.
bool isIgnorableExtra(const std::string& name, const ModelConfig& config) {
  if (name.ends_with("rotary_emb.inv_freq")) return true;
  return config.tieWordEmbeddings && name == "lm_head.weight";
}

// Shard file names from model.safetensors.index.json's "weight_map", checked to stay in `folder`.
std::map<std::string, std::string> readWeightMap(const std::filesystem::path& indexPath) {
  auto index = nlohmann::json::parse(readFile(indexPath), nullptr, false);
  if (index.is_discarded() || !index.is_object() || !index.contains("weight_map") ||
      !index["weight_map"].is_object()) {
    throw ParseError(indexPath.string(), 0, "weight_map", "missing or not an object");
  }
  std::map<std::string, std::string> weightMap;
  for (const auto& [name, file] : index["weight_map"].items()) {
    if (!file.is_string())
      throw ParseError(indexPath.string(), 0, "weight_map." + name, "not a string");
    std::string shard = file.get<std::string>();
    if (shard.empty() || shard.find('/') != std::string::npos || shard.starts_with(".")) {
      throw ParseError(indexPath.string(), 0, "weight_map." + name,
                       "shard '" + shard + "' is not a file name in the checkpoint folder");
    }
    weightMap[name] = shard;
  }
  return weightMap;
}

}  // namespace

std::vector<ExpectedTensor> expectedTensors(const ModelConfig& c) {
  std::vector<ExpectedTensor> tensors;
  int64_t qSize = c.numAttentionHeads * c.headDim;
  int64_t kvSize = c.numKeyValueHeads * c.headDim;
  tensors.push_back({"model.embed_tokens.weight", {c.vocabSize, c.hiddenSize}});
  for (int64_t layer = 0; layer < c.numHiddenLayers; ++layer) {
    std::string prefix = "model.layers." + std::to_string(layer) + ".";
    std::string attention = prefix + "self_attn.";
    tensors.push_back({attention + "q_proj.weight", {qSize, c.hiddenSize}});
    tensors.push_back({attention + "k_proj.weight", {kvSize, c.hiddenSize}});
    tensors.push_back({attention + "v_proj.weight", {kvSize, c.hiddenSize}});
    tensors.push_back({attention + "o_proj.weight", {c.hiddenSize, qSize}});
    if (c.hasQkvBias()) {
      tensors.push_back({attention + "q_proj.bias", {qSize}});
      tensors.push_back({attention + "k_proj.bias", {kvSize}});
      tensors.push_back({attention + "v_proj.bias", {kvSize}});
    }
    if (c.hasOutputBias()) tensors.push_back({attention + "o_proj.bias", {c.hiddenSize}});
    if (c.hasQkNorm()) {
      tensors.push_back({attention + "q_norm.weight", {c.headDim}});
      tensors.push_back({attention + "k_norm.weight", {c.headDim}});
    }
    std::string mlp = prefix + "mlp.";
    tensors.push_back({mlp + "gate_proj.weight", {c.intermediateSize, c.hiddenSize}});
    tensors.push_back({mlp + "up_proj.weight", {c.intermediateSize, c.hiddenSize}});
    tensors.push_back({mlp + "down_proj.weight", {c.hiddenSize, c.intermediateSize}});
    if (c.mlpBias) {
      tensors.push_back({mlp + "gate_proj.bias", {c.intermediateSize}});
      tensors.push_back({mlp + "up_proj.bias", {c.intermediateSize}});
      tensors.push_back({mlp + "down_proj.bias", {c.hiddenSize}});
    }
    tensors.push_back({prefix + "input_layernorm.weight", {c.hiddenSize}});
    tensors.push_back({prefix + "post_attention_layernorm.weight", {c.hiddenSize}});
  }
  tensors.push_back({"model.norm.weight", {c.hiddenSize}});
  if (!c.tieWordEmbeddings) tensors.push_back({"lm_head.weight", {c.vocabSize, c.hiddenSize}});
  return tensors;
}

CheckpointFiles::CheckpointFiles(const std::filesystem::path& folder) {
  auto configPath = folder / "config.json";
  if (!std::filesystem::is_regular_file(configPath)) {
    throw Error(configPath.string() + ": missing (not a Hugging Face checkpoint folder)");
  }
  config_ = readModelConfig(configPath);

  auto indexPath = folder / "model.safetensors.index.json";
  std::map<std::string, std::string> weightMap;  // empty for a single-file checkpoint
  if (std::filesystem::is_regular_file(indexPath)) {
    weightMap = readWeightMap(indexPath);
    std::map<std::string, const SafetensorsFile*> opened;
    for (const auto& [name, shard] : weightMap) {
      if (opened.count(shard)) continue;
      shards_.push_back(std::make_unique<SafetensorsFile>(folder / shard));
      opened[shard] = shards_.back().get();
    }
  } else {
    auto single = folder / "model.safetensors";
    if (!std::filesystem::is_regular_file(single)) {
      throw Error(folder.string() + ": neither model.safetensors nor model.safetensors.index.json");
    }
    shards_.push_back(std::make_unique<SafetensorsFile>(single));
  }

  for (const auto& shard : shards_) {
    for (const auto& info : shard->header().tensors) {
      std::string where = shard->path().string() + ": tensor " + info.name + ": ";
      if (tensors_.count(info.name)) throw Error(where + "stored in more than one shard");
      if (!weightMap.empty()) {
        auto listed = weightMap.find(info.name);
        if (listed == weightMap.end() || folder / listed->second != shard->path()) {
          throw Error(where + "not listed for this shard in " + indexPath.string());
        }
      }
      tensors_[info.name] = {shard.get(), &info};
    }
  }

  std::string source = weightMap.empty() ? shards_[0]->path().string() : indexPath.string();
  auto expected = expectedTensors(config_);
  std::map<std::string, bool> isExpected;
  for (const auto& tensor : expected) {
    isExpected[tensor.name] = true;
    auto found = tensors_.find(tensor.name);
    if (found == tensors_.end()) {
      throw Error(source + ": tensor " + tensor.name + ": missing (config.json requires it)");
    }
    const TensorInfo& info = *found->second.info;
    std::string where = found->second.file->path().string() + ": tensor " + info.name + ": ";
    if (info.shape != tensor.shape) {
      throw Error(where + "shape " + shapeText(info.shape) + " but config.json implies " +
                  shapeText(tensor.shape));
    }
    if (info.dtype != DType::kF32 && info.dtype != DType::kF16 && info.dtype != DType::kBF16) {
      throw Error(where + "dtype " + std::string(dtypeName(info.dtype)) +
                  " (expected F32, F16 or BF16)");
    }
  }
  for (const auto& [name, stored] : tensors_) {
    if (!isExpected.count(name) && !isIgnorableExtra(name, config_)) {
      throw Error(stored.file->path().string() + ": tensor " + name +
                  ": unexpected for this config.json (extra tensor)");
    }
  }
  for (const auto& [name, shard] : weightMap) {
    if (!tensors_.count(name)) {
      throw Error(indexPath.string() + ": tensor " + name + ": listed in shard " + shard +
                  " but not stored there");
    }
  }
}

CheckpointTensor CheckpointFiles::tensor(const std::string& name) const {
  auto found = tensors_.find(name);
  if (found == tensors_.end()) throw Error("checkpoint has no tensor " + name);
  return found->second;
}

void writeCheckpointFiles(const std::filesystem::path& folder, const ModelConfig& config,
                          const std::vector<TensorToWrite>& tensors) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw IoError(folder.string(), "create folder", error.value());
  writeSafetensors(folder / "model.safetensors", tensors, {{"format", "pt"}});
  writeFileAtomically(folder / "config.json", modelConfigToJson(config));
  std::filesystem::remove(folder / "model.safetensors.index.json", error);
}

}  // namespace astro::model
