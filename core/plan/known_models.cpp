// The architecture numbers of the models the presets name, copied from each model's config.json
// on the Hugging Face hub (meta-llama/Llama-3.1-8B-Instruct, -70B-Instruct, Llama-3.2-1B/3B-
// Instruct), parsed by the same parser as a checkpoint's file.
#include "core/plan/known_models.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

namespace astro::plan {

namespace {

struct KnownModel {
  const char* name;
  int hidden, intermediate, layers, heads, kvHeads, headDim;
  bool tied;
};

// vocab_size 128256 and rope_theta 500000 for all of them.
constexpr std::array<KnownModel, 4> kModels{{
    {"Llama-3.1-8B", 4096, 14336, 32, 32, 8, 128, false},
    {"Llama-3.1-70B", 8192, 28672, 80, 64, 8, 128, false},
    {"Llama-3.2-1B", 2048, 8192, 16, 32, 8, 64, true},
    {"Llama-3.2-3B", 3072, 8192, 28, 24, 8, 128, true},
}};

std::string normalized(std::string_view name) {
  std::string out;
  for (char c : name) out += char(std::tolower(static_cast<unsigned char>(c)));
  if (out.starts_with("meta-")) out.erase(0, 5);
  if (out.ends_with("-instruct")) out.resize(out.size() - 9);
  return out;
}

model::ModelConfig toConfig(const KnownModel& known) {
  nlohmann::json json = {{"architectures", {"LlamaForCausalLM"}},
                         {"model_type", "llama"},
                         {"vocab_size", 128256},
                         {"hidden_size", known.hidden},
                         {"intermediate_size", known.intermediate},
                         {"num_hidden_layers", known.layers},
                         {"num_attention_heads", known.heads},
                         {"num_key_value_heads", known.kvHeads},
                         {"head_dim", known.headDim},
                         {"hidden_act", "silu"},
                         {"max_position_embeddings", 131072},
                         {"rms_norm_eps", 1e-5},
                         {"rope_theta", 500000.0},
                         {"tie_word_embeddings", known.tied},
                         {"torch_dtype", "bfloat16"}};
  return model::parseModelConfig(json.dump(), std::string(known.name) + " (built-in table)");
}

}  // namespace

std::optional<model::ModelConfig> knownModelConfig(std::string_view folderName) {
  std::string wanted = normalized(folderName);
  for (const KnownModel& known : kModels) {
    if (normalized(known.name) == wanted) return toConfig(known);
  }
  return std::nullopt;
}

std::vector<std::string> knownModelNames() {
  std::vector<std::string> names;
  for (const KnownModel& known : kModels) names.emplace_back(known.name);
  return names;
}

}  // namespace astro::plan
