#include "core/model/model_config.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::model {

namespace {

using nlohmann::json;

struct Architectures {
  const char* name;
  Architecture value;
};
constexpr Architectures kArchitectures[] = {
    {"LlamaForCausalLM", Architecture::kLlama},
    {"Qwen2ForCausalLM", Architecture::kQwen2},
    {"Qwen3ForCausalLM", Architecture::kQwen3},
};

// Reads typed keys from one config.json object and names the file and key in every error.
class ConfigReader {
 public:
  ConfigReader(const json& object, std::string source, std::string keyPrefix = "")
      : object_(object), source_(std::move(source)), keyPrefix_(std::move(keyPrefix)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw ParseError(source_, 0, keyPrefix_ + key, what);
  }
  bool has(const std::string& key) const {
    return object_.contains(key) && !object_.at(key).is_null();
  }
  int64_t positiveInt(const std::string& key, std::optional<int64_t> fallback) const {
    if (!has(key)) {
      if (!fallback) fail(key, "missing");
      return *fallback;
    }
    const json& value = object_.at(key);
    if (!value.is_number_integer()) fail(key, "expected an integer, got " + value.dump());
    int64_t number = value.get<int64_t>();
    if (number <= 0 || number > (int64_t(1) << 40)) fail(key, "out of range: " + value.dump());
    return number;
  }
  double positiveNumber(const std::string& key, double fallback) const {
    if (!has(key)) return fallback;
    const json& value = object_.at(key);
    if (!value.is_number()) fail(key, "expected a number, got " + value.dump());
    double number = value.get<double>();
    if (!(number > 0) || number > 1e30) fail(key, "must be positive and finite: " + value.dump());
    return number;
  }
  bool boolean(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!object_.at(key).is_boolean()) fail(key, "expected true or false");
    return object_.at(key).get<bool>();
  }
  std::string string(const std::string& key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    if (!object_.at(key).is_string()) fail(key, "expected a string");
    return object_.at(key).get<std::string>();
  }

  const json& object_;
  std::string source_;
  std::string keyPrefix_;  // "rope_scaling." inside that object
};

Architecture parseArchitecture(const ConfigReader& reader) {
  if (!reader.has("architectures")) reader.fail("architectures", "missing");
  const json& list = reader.object_.at("architectures");
  if (!list.is_array() || list.size() != 1 || !list[0].is_string()) {
    reader.fail("architectures", "expected a list with one name, got " + list.dump());
  }
  std::string name = list[0].get<std::string>();
  for (const auto& known : kArchitectures) {
    if (name == known.name) return known.value;
  }
  reader.fail("architectures", "unsupported architecture '" + name +
                                   "' (supported: LlamaForCausalLM, Qwen2ForCausalLM, "
                                   "Qwen3ForCausalLM)");
}

RopeScaling parseRopeScaling(const ConfigReader& parent) {
  RopeScaling scaling;
  if (!parent.has("rope_scaling")) return scaling;
  const json& object = parent.object_.at("rope_scaling");
  if (!object.is_object()) parent.fail("rope_scaling", "expected an object or null");
  ConfigReader reader(object, parent.source_, "rope_scaling.");
  std::string type =
      reader.has("rope_type") ? reader.string("rope_type", "") : reader.string("type", "default");
  auto fail = [&](const std::string& key, const std::string& what) { reader.fail(key, what); };
  if (type == "default") return scaling;
  if (type == "linear") {
    scaling.type = RopeScaling::Type::kLinear;
    scaling.factor = reader.positiveNumber("factor", 1.0);
  } else if (type == "llama3") {
    scaling.type = RopeScaling::Type::kLlama3;
    for (const char* key :
         {"factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"}) {
      if (!reader.has(key)) fail(key, "missing (required by rope type 'llama3')");
    }
    scaling.factor = reader.positiveNumber("factor", 1.0);
    scaling.lowFreqFactor = reader.positiveNumber("low_freq_factor", 1.0);
    scaling.highFreqFactor = reader.positiveNumber("high_freq_factor", 4.0);
    scaling.originalMaxPositionEmbeddings =
        reader.positiveInt("original_max_position_embeddings", std::nullopt);
    if (scaling.highFreqFactor <= scaling.lowFreqFactor) {
      fail("high_freq_factor", "must be greater than low_freq_factor");
    }
  } else {
    fail("rope_type", "unsupported rope type '" + type + "' (supported: default, linear, llama3)");
  }
  return scaling;
}

}  // namespace

std::string ModelConfig::architectureName() const {
  for (const auto& known : kArchitectures) {
    if (known.value == architecture) return known.name;
  }
  return "LlamaForCausalLM";
}

int64_t ModelConfig::parameterCount() const {
  int64_t attention = hiddenSize * headDim * (2 * numAttentionHeads + 2 * numKeyValueHeads);
  if (hasQkvBias()) attention += headDim * (numAttentionHeads + 2 * numKeyValueHeads);
  if (hasOutputBias()) attention += hiddenSize;
  if (hasQkNorm()) attention += 2 * headDim;
  int64_t mlp = 3 * hiddenSize * intermediateSize;
  if (mlpBias) mlp += 2 * intermediateSize + hiddenSize;
  int64_t layer = attention + mlp + 2 * hiddenSize;
  int64_t embeddings = vocabSize * hiddenSize * (tieWordEmbeddings ? 1 : 2);
  return embeddings + numHiddenLayers * layer + hiddenSize;
}

ModelConfig parseModelConfig(const std::string& text, const std::string& source) {
  json object = json::parse(text, nullptr, false);
  if (object.is_discarded()) throw ParseError(source, 0, "", "not valid JSON");
  if (!object.is_object()) throw ParseError(source, 0, "", "expected a JSON object");
  ConfigReader reader(object, source);
  ModelConfig config;
  config.architecture = parseArchitecture(reader);
  std::string activation = reader.string("hidden_act", "silu");
  if (activation != "silu")
    reader.fail("hidden_act", "unsupported activation '" + activation + "'");
  config.vocabSize = reader.positiveInt("vocab_size", std::nullopt);
  config.hiddenSize = reader.positiveInt("hidden_size", std::nullopt);
  config.intermediateSize = reader.positiveInt("intermediate_size", std::nullopt);
  config.numHiddenLayers = reader.positiveInt("num_hidden_layers", std::nullopt);
  config.numAttentionHeads = reader.positiveInt("num_attention_heads", std::nullopt);
  config.numKeyValueHeads = reader.positiveInt("num_key_value_heads", config.numAttentionHeads);
  if (config.numAttentionHeads % config.numKeyValueHeads != 0) {
    reader.fail("num_key_value_heads", "must divide num_attention_heads (" +
                                           std::to_string(config.numAttentionHeads) + ")");
  }
  if (!reader.has("head_dim") && config.hiddenSize % config.numAttentionHeads != 0) {
    reader.fail("hidden_size", "not divisible by num_attention_heads and no head_dim given");
  }
  config.headDim = reader.positiveInt("head_dim", config.hiddenSize / config.numAttentionHeads);
  if (config.headDim % 2 != 0) reader.fail("head_dim", "must be even for rotary embeddings");
  config.maxPositionEmbeddings = reader.positiveInt("max_position_embeddings", 2048);
  config.rmsNormEps = reader.positiveNumber("rms_norm_eps", 1e-6);
  config.ropeTheta = reader.positiveNumber("rope_theta", 10000.0);
  config.ropeScaling = parseRopeScaling(reader);
  config.tieWordEmbeddings = reader.boolean("tie_word_embeddings", false);
  config.attentionBias = reader.boolean("attention_bias", false);
  config.mlpBias = reader.boolean("mlp_bias", false);
  config.initializerRange = reader.positiveNumber("initializer_range", 0.02);
  config.torchDtype = reader.string("torch_dtype", "float32");
  if (config.torchDtype != "float32" && config.torchDtype != "float16" &&
      config.torchDtype != "bfloat16") {
    reader.fail("torch_dtype", "unsupported dtype '" + config.torchDtype + "'");
  }
  if (reader.has("bos_token_id")) config.bosTokenId = reader.positiveInt("bos_token_id", 0);
  if (reader.has("eos_token_id")) {
    const json& eos = object.at("eos_token_id");
    for (const json& id : eos.is_array() ? eos : json::array({eos})) {
      if (!id.is_number_integer() || id.get<int64_t>() < 0) {
        reader.fail("eos_token_id", "expected a token id or a list of them, got " + eos.dump());
      }
      config.eosTokenIds.push_back(id.get<int64_t>());
    }
  }
  return config;
}

ModelConfig readModelConfig(const std::filesystem::path& configJson) {
  return parseModelConfig(readFile(configJson), configJson.string());
}

std::string modelConfigToJson(const ModelConfig& config) {
  nlohmann::ordered_json object = {
      {"architectures", {config.architectureName()}},
      {"model_type", config.architecture == Architecture::kLlama   ? "llama"
                     : config.architecture == Architecture::kQwen2 ? "qwen2"
                                                                   : "qwen3"},
      {"vocab_size", config.vocabSize},
      {"hidden_size", config.hiddenSize},
      {"intermediate_size", config.intermediateSize},
      {"num_hidden_layers", config.numHiddenLayers},
      {"num_attention_heads", config.numAttentionHeads},
      {"num_key_value_heads", config.numKeyValueHeads},
      {"head_dim", config.headDim},
      {"hidden_act", "silu"},
      {"max_position_embeddings", config.maxPositionEmbeddings},
      {"rms_norm_eps", config.rmsNormEps},
      {"rope_theta", config.ropeTheta},
      {"rope_scaling", nullptr},
      {"tie_word_embeddings", config.tieWordEmbeddings},
      {"attention_bias", config.attentionBias},
      {"mlp_bias", config.mlpBias},
      {"attention_dropout", 0.0},
      {"initializer_range", config.initializerRange},
      {"torch_dtype", config.torchDtype},
      {"use_cache", true},
  };
  const RopeScaling& scaling = config.ropeScaling;
  if (scaling.type == RopeScaling::Type::kLinear) {
    object["rope_scaling"] = {{"rope_type", "linear"}, {"factor", scaling.factor}};
  } else if (scaling.type == RopeScaling::Type::kLlama3) {
    object["rope_scaling"] = {
        {"rope_type", "llama3"},
        {"factor", scaling.factor},
        {"low_freq_factor", scaling.lowFreqFactor},
        {"high_freq_factor", scaling.highFreqFactor},
        {"original_max_position_embeddings", scaling.originalMaxPositionEmbeddings}};
  }
  if (config.bosTokenId >= 0) object["bos_token_id"] = config.bosTokenId;
  if (config.eosTokenIds.size() == 1) object["eos_token_id"] = config.eosTokenIds[0];
  if (config.eosTokenIds.size() > 1) object["eos_token_id"] = config.eosTokenIds;
  return object.dump(2) + "\n";
}

}  // namespace astro::model
