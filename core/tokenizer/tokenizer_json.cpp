// Reads tokenizer.json and tokenizer_config.json into TokenizerSpec/TokenizerConfigSpec. Only
// what byte-level BPE needs is accepted; anything else is refused by name and JSON path
// ("tokenizer.json: model.type 'Unigram' is not supported") rather than encoded differently
// from Hugging Face. post_processor is ignored because encode() never adds BOS/EOS.
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/tokenizer/detail/tokenizer_spec.h"

namespace astro::tokenizer::detail {

namespace {

using Json = nlohmann::json;

// Error helpers that name the file and the JSON path.
class JsonReader {
 public:
  explicit JsonReader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw Error(source_ + ": " + path + (path.empty() ? "" : " ") + what);
  }

  Json parse(std::string_view text) const {
    try {
      return Json::parse(text.begin(), text.end());
    } catch (const Json::exception& e) {  // syntax errors and numbers out of range
      throw Error(source_ + ": invalid JSON: " + e.what());
    }
  }

  const Json& object(const Json& value, const std::string& path) const {
    if (!value.is_object()) fail(path, "must be an object");
    return value;
  }
  const Json& array(const Json& value, const std::string& path) const {
    if (!value.is_array()) fail(path, "must be an array");
    return value;
  }
  std::string string(const Json& value, const std::string& path) const {
    if (!value.is_string()) fail(path, "must be a string");
    return value.get<std::string>();
  }
  bool boolean(const Json& value, const std::string& path) const {
    if (!value.is_boolean()) fail(path, "must be true or false");
    return value.get<bool>();
  }
  std::int32_t tokenId(const Json& value, const std::string& path) const {
    if (!value.is_number_integer()) fail(path, "must be an integer token id");
    auto id = value.get<std::int64_t>();
    if (id < 0 || id > kMaxTokenId) {
      fail(path,
           "token id " + std::to_string(id) + " is outside 0.." + std::to_string(kMaxTokenId));
    }
    return std::int32_t(id);
  }
  // Optional member: absent and null read as `fallback`.
  bool flag(const Json& owner, const char* key, const std::string& path, bool fallback) const {
    auto found = owner.find(key);
    if (found == owner.end() || found->is_null()) return fallback;
    return boolean(*found, path + "." + key);
  }
  std::string typeOf(const Json& value, const std::string& path) const {
    object(value, path);
    auto found = value.find("type");
    if (found == value.end()) fail(path + ".type", "is missing");
    return string(*found, path + ".type");
  }
  [[noreturn]] void unsupported(const std::string& path, const std::string& what) const {
    fail(path, "'" + what + "' is not supported");
  }

 private:
  std::string source_;
};

void readModel(const JsonReader& reader, const Json& model, TokenizerSpec& spec) {
  reader.object(model, "model");
  auto type = model.find("type");
  if (type != model.end()) {
    std::string name = reader.string(*type, "model.type");
    if (name != "BPE") reader.unsupported("model.type", name);
  } else if (!model.contains("merges")) {
    reader.fail("model.type", "is missing (only BPE is supported)");
  }
  auto dropout = model.find("dropout");
  if (dropout != model.end() && !dropout->is_null() &&
      !(dropout->is_number() && dropout->get<double>() == 0.0)) {
    reader.fail("model.dropout", "must be null: BPE dropout is not supported");
  }
  for (const char* affix : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    auto found = model.find(affix);
    if (found != model.end() && !found->is_null() &&
        !reader.string(*found, std::string("model.") + affix).empty()) {
      reader.unsupported(std::string("model.") + affix, found->get<std::string>());
    }
  }
  auto unknown = model.find("unk_token");
  if (unknown != model.end() && !unknown->is_null()) {
    spec.unknownToken = reader.string(*unknown, "model.unk_token");
  }
  spec.ignoreMerges = reader.flag(model, "ignore_merges", "model", false);

  auto vocab = model.find("vocab");
  if (vocab == model.end()) reader.fail("model.vocab", "is missing");
  reader.object(*vocab, "model.vocab");
  spec.vocab.reserve(vocab->size());
  for (const auto& [text, id] : vocab->items()) {
    spec.vocab.emplace_back(text, reader.tokenId(id, "model.vocab[\"" + text + "\"]"));
  }

  auto merges = model.find("merges");
  if (merges == model.end()) reader.fail("model.merges", "is missing");
  reader.array(*merges, "model.merges");
  spec.merges.reserve(merges->size());
  for (std::size_t i = 0; i < merges->size(); ++i) {
    const Json& merge = (*merges)[i];
    std::string path = "model.merges[" + std::to_string(i) + "]";
    if (merge.is_string()) {
      // "left right": byte-level tokens hold no spaces, so one space separates the two.
      const auto& text = merge.get_ref<const std::string&>();
      auto space = text.find(' ');
      if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos) {
        reader.fail(path, "must be two tokens separated by one space, got '" + text + "'");
      }
      spec.merges.emplace_back(text.substr(0, space), text.substr(space + 1));
    } else if (merge.is_array() && merge.size() == 2) {
      spec.merges.emplace_back(reader.string(merge[0], path + "[0]"),
                               reader.string(merge[1], path + "[1]"));
    } else {
      reader.fail(path, "must be \"left right\" or [\"left\", \"right\"]");
    }
  }
}

void readAddedTokens(const JsonReader& reader, const Json& root, TokenizerSpec& spec) {
  auto added = root.find("added_tokens");
  if (added == root.end() || added->is_null()) return;
  reader.array(*added, "added_tokens");
  for (std::size_t i = 0; i < added->size(); ++i) {
    std::string path = "added_tokens[" + std::to_string(i) + "]";
    const Json& token = reader.object((*added)[i], path);
    AddedTokenSpec parsed;
    if (!token.contains("id")) reader.fail(path + ".id", "is missing");
    if (!token.contains("content")) reader.fail(path + ".content", "is missing");
    parsed.id = reader.tokenId(token["id"], path + ".id");
    parsed.content = reader.string(token["content"], path + ".content");
    parsed.special = reader.flag(token, "special", path, false);
    parsed.singleWord = reader.flag(token, "single_word", path, false);
    parsed.lstrip = reader.flag(token, "lstrip", path, false);
    parsed.rstrip = reader.flag(token, "rstrip", path, false);
    parsed.normalized = reader.flag(token, "normalized", path, !parsed.special);
    spec.addedTokens.push_back(std::move(parsed));
  }
}

void readNormalizer(const JsonReader& reader, const Json& normalizer, const std::string& path,
                    TokenizerSpec& spec) {
  if (normalizer.is_null()) return;
  std::string type = reader.typeOf(normalizer, path);
  if (type == "NFC") {
    spec.nfc = true;
  } else if (type == "Sequence") {
    auto parts = normalizer.find("normalizers");
    if (parts == normalizer.end()) reader.fail(path + ".normalizers", "is missing");
    reader.array(*parts, path + ".normalizers");
    for (std::size_t i = 0; i < parts->size(); ++i) {
      readNormalizer(reader, (*parts)[i], path + ".normalizers[" + std::to_string(i) + "]", spec);
    }
  } else {
    reader.unsupported(path + ".type", type);
  }
}

SplitBehavior readBehavior(const JsonReader& reader, const Json& value, const std::string& path) {
  std::string name = reader.string(value, path);
  if (name == "Isolated") return SplitBehavior::Isolated;
  if (name == "Removed") return SplitBehavior::Removed;
  if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (name == "Contiguous") return SplitBehavior::Contiguous;
  reader.unsupported(path, name);
}

void readPreTokenizer(const JsonReader& reader, const Json& node, const std::string& path,
                      TokenizerSpec& spec, int depth) {
  if (depth > 8) reader.fail(path, "nests Sequence pre-tokenizers too deeply");
  std::string type = reader.typeOf(node, path);
  if (type == "Sequence") {
    auto steps = node.find("pretokenizers");
    if (steps == node.end()) reader.fail(path + ".pretokenizers", "is missing");
    reader.array(*steps, path + ".pretokenizers");
    for (std::size_t i = 0; i < steps->size(); ++i) {
      readPreTokenizer(reader, (*steps)[i], path + ".pretokenizers[" + std::to_string(i) + "]",
                       spec, depth + 1);
    }
    return;
  }
  PreTokenizerStep step;
  step.jsonPath = path;
  if (type == "Split") {
    step.kind = PreTokenizerStep::Kind::Split;
    auto pattern = node.find("pattern");
    if (pattern == node.end()) reader.fail(path + ".pattern", "is missing");
    reader.object(*pattern, path + ".pattern");
    if (pattern->contains("Regex")) {
      step.pattern = reader.string((*pattern)["Regex"], path + ".pattern.Regex");
    } else if (pattern->contains("String")) {
      step.pattern = reader.string((*pattern)["String"], path + ".pattern.String");
      step.patternIsRegex = false;
    } else {
      reader.fail(path + ".pattern", "must hold \"Regex\" or \"String\"");
    }
    auto behavior = node.find("behavior");
    if (behavior == node.end()) reader.fail(path + ".behavior", "is missing");
    step.behavior = readBehavior(reader, *behavior, path + ".behavior");
    step.invert = reader.flag(node, "invert", path, false);
  } else if (type == "ByteLevel") {
    step.kind = PreTokenizerStep::Kind::ByteLevel;
    step.addPrefixSpace = reader.flag(node, "add_prefix_space", path, true);
    step.useRegex = reader.flag(node, "use_regex", path, true);
  } else {
    reader.unsupported(path + ".type", type);
  }
  spec.preTokenizer.push_back(std::move(step));
}

void readDecoder(const JsonReader& reader, const Json& decoder, const std::string& path) {
  if (decoder.is_null()) return;
  std::string type = reader.typeOf(decoder, path);
  if (type == "ByteLevel") return;
  if (type == "Sequence") {
    auto parts = decoder.find("decoders");
    if (parts == decoder.end()) reader.fail(path + ".decoders", "is missing");
    reader.array(*parts, path + ".decoders");
    for (std::size_t i = 0; i < parts->size(); ++i) {
      readDecoder(reader, (*parts)[i], path + ".decoders[" + std::to_string(i) + "]");
    }
    return;
  }
  reader.unsupported(path + ".type", type);
}

// bos_token and friends are a string, {"content": "..."} or null.
std::optional<std::string> readSpecialTokenName(const JsonReader& reader, const Json& root,
                                                const char* key) {
  auto found = root.find(key);
  if (found == root.end() || found->is_null()) return std::nullopt;
  if (found->is_object()) {
    auto content = found->find("content");
    if (content == found->end()) reader.fail(std::string(key) + ".content", "is missing");
    return reader.string(*content, std::string(key) + ".content");
  }
  return reader.string(*found, key);
}

}  // namespace

TokenizerSpec readTokenizerJson(std::string_view text, const std::string& source) {
  JsonReader reader(source);
  Json root = reader.parse(text);
  reader.object(root, "(top level)");
  TokenizerSpec spec;
  spec.source = source;
  auto model = root.find("model");
  if (model == root.end()) reader.fail("model", "is missing");
  readModel(reader, *model, spec);
  readAddedTokens(reader, root, spec);
  if (auto normalizer = root.find("normalizer"); normalizer != root.end()) {
    readNormalizer(reader, *normalizer, "normalizer", spec);
  }
  auto preTokenizer = root.find("pre_tokenizer");
  if (preTokenizer == root.end() || preTokenizer->is_null()) {
    reader.fail("pre_tokenizer", "is missing: byte-level BPE needs a ByteLevel pre-tokenizer");
  }
  readPreTokenizer(reader, *preTokenizer, "pre_tokenizer", spec, 0);
  bool hasByteLevel = false;
  for (const auto& step : spec.preTokenizer) {
    hasByteLevel = hasByteLevel || step.kind == PreTokenizerStep::Kind::ByteLevel;
  }
  if (!hasByteLevel) {
    reader.fail("pre_tokenizer", "has no ByteLevel step: only byte-level BPE is supported");
  }
  if (auto decoder = root.find("decoder"); decoder != root.end()) {
    readDecoder(reader, *decoder, "decoder");
  }
  return spec;
}

TokenizerConfigSpec readTokenizerConfigJson(std::string_view text, const std::string& source) {
  JsonReader reader(source);
  Json root = reader.parse(text);
  reader.object(root, "(top level)");
  TokenizerConfigSpec config;
  config.bosToken = readSpecialTokenName(reader, root, "bos_token");
  config.eosToken = readSpecialTokenName(reader, root, "eos_token");
  config.padToken = readSpecialTokenName(reader, root, "pad_token");
  auto chatTemplate = root.find("chat_template");
  if (chatTemplate != root.end() && !chatTemplate->is_null()) {
    if (chatTemplate->is_string()) {
      config.chatTemplate = chatTemplate->get<std::string>();
    } else if (chatTemplate->is_array()) {
      // Several named templates: [{"name": "default", "template": "..."}, ...].
      for (std::size_t i = 0; i < chatTemplate->size(); ++i) {
        std::string path = "chat_template[" + std::to_string(i) + "]";
        const Json& entry = reader.object((*chatTemplate)[i], path);
        if (entry.contains("template")) {
          config.chatTemplate += reader.string(entry["template"], path + ".template");
        }
      }
    } else {
      reader.fail("chat_template", "must be a string or a list of named templates");
    }
  }
  return config;
}

}  // namespace astro::tokenizer::detail
