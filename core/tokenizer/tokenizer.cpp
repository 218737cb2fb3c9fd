// Tokenizer: builds the immutable tables from the checked tokenizer.json spec, and runs the
// encode pipeline (added tokens -> NFC -> pre-tokenizer -> BPE) and byte-level decoding.
#include "core/tokenizer/tokenizer.h"

#include <algorithm>
#include <deque>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/tokenizer/detail/added_tokens.h"
#include "core/tokenizer/detail/bpe_model.h"
#include "core/tokenizer/detail/byte_level.h"
#include "core/tokenizer/detail/nfc_normalizer.h"
#include "core/tokenizer/detail/pre_tokenizer.h"
#include "core/tokenizer/detail/tokenizer_spec.h"

namespace astro::tokenizer {

using detail::StringMap;

struct Tokenizer::Impl {
  std::string source;
  std::vector<std::string> tokenTexts;  // id -> text as in tokenizer.json
  std::vector<std::string> tokenBytes;  // id -> the bytes it decodes to
  std::vector<std::uint8_t> known;      // id -> 1 when some token has this id
  std::vector<std::uint8_t> special;    // id -> 1 for special added tokens
  StringMap<std::int32_t> addedIds;     // added token content -> id
  bool nfc = false;
  std::optional<detail::BpeModel> bpe;
  std::optional<detail::PreTokenizer> preTokenizer;
  std::optional<detail::AddedTokenMatcher> addedTokens;
  std::optional<std::int32_t> bos, eos, pad;
  ChatFormat chatFormat = ChatFormat::Plain;

  std::optional<std::int32_t> idOf(std::string_view text) const {
    if (auto found = addedIds.find(text); found != addedIds.end()) return found->second;
    return bpe->idOf(text);
  }
  void checkId(std::int32_t id) const {
    if (id < 0 || std::size_t(id) >= known.size() || !known[std::size_t(id)]) {
      throw Error(source + ": token id " + std::to_string(id) + " is not in the vocabulary (size " +
                  std::to_string(known.size()) + ")");
    }
  }
};

namespace {

std::shared_ptr<Tokenizer::Impl> buildImpl(detail::TokenizerSpec spec) {
  auto impl = std::make_shared<Tokenizer::Impl>();
  impl->source = spec.source;
  impl->nfc = spec.nfc;

  std::int32_t maxId = -1;
  for (const auto& [text, id] : spec.vocab) maxId = std::max(maxId, id);
  for (const auto& token : spec.addedTokens) maxId = std::max(maxId, token.id);
  auto size = std::size_t(maxId + 1);
  impl->tokenTexts.resize(size);
  impl->tokenBytes.resize(size);
  impl->known.assign(size, 0);
  impl->special.assign(size, 0);

  StringMap<std::int32_t> vocab;
  vocab.reserve(spec.vocab.size());
  for (auto& [text, id] : spec.vocab) {
    auto index = std::size_t(id);
    impl->tokenBytes[index].clear();
    detail::byteLevelToBytes(text, impl->tokenBytes[index]);
    impl->tokenTexts[index] = text;
    impl->known[index] = 1;
    vocab.insert_or_assign(std::move(text), id);
  }
  for (const auto& token : spec.addedTokens) {
    auto index = std::size_t(token.id);
    impl->tokenTexts[index] = token.content;
    impl->tokenBytes[index] = token.content;  // added tokens are written as they read
    impl->known[index] = 1;
    impl->special[index] = token.special ? 1 : 0;
    impl->addedIds.insert_or_assign(token.content, token.id);
  }

  std::vector<detail::BpeMerge> merges;
  merges.reserve(spec.merges.size());
  auto lookUp = [&](const std::string& text, std::size_t rank) {
    auto found = vocab.find(text);
    if (found == vocab.end()) {
      throw Error(spec.source + ": model.merges[" + std::to_string(rank) + "]: token '" + text +
                  "' is not in model.vocab");
    }
    return found->second;
  };
  for (std::size_t rank = 0; rank < spec.merges.size(); ++rank) {
    const auto& [left, right] = spec.merges[rank];
    merges.push_back({lookUp(left, rank), lookUp(right, rank), lookUp(left + right, rank)});
  }
  spec.merges = {};

  detail::BpeOptions options;
  options.ignoreMerges = spec.ignoreMerges;
  if (spec.unknownToken) {
    auto found = vocab.find(*spec.unknownToken);
    if (found == vocab.end()) {
      throw Error(spec.source + ": model.unk_token '" + *spec.unknownToken +
                  "' is not in model.vocab");
    }
    options.unknownId = found->second;
  }
  impl->bpe.emplace(std::move(vocab), merges, options);
  impl->preTokenizer.emplace(spec.preTokenizer, spec.source);
  impl->addedTokens.emplace(spec.addedTokens);
  return impl;
}

ChatFormat detectChatFormat(const Tokenizer::Impl& impl, const std::string& chatTemplate) {
  if (chatTemplate.find("<|start_header_id|>") != std::string::npos) return ChatFormat::Llama3;
  if (chatTemplate.find("<|im_start|>") != std::string::npos) return ChatFormat::ChatML;
  if (!chatTemplate.empty()) return ChatFormat::Plain;
  // No template: fall back on the special tokens the vocabulary has.
  if (impl.addedIds.contains("<|start_header_id|>")) return ChatFormat::Llama3;
  if (impl.addedIds.contains("<|im_start|>")) return ChatFormat::ChatML;
  return ChatFormat::Plain;
}

void applyConfig(Tokenizer::Impl& impl, const detail::TokenizerConfigSpec& config) {
  auto idOf = [&](const std::optional<std::string>& name) -> std::optional<std::int32_t> {
    if (!name) return std::nullopt;
    return impl.idOf(*name);
  };
  impl.bos = idOf(config.bosToken);
  impl.eos = idOf(config.eosToken);
  impl.pad = idOf(config.padToken);
  impl.chatFormat = detectChatFormat(impl, config.chatTemplate);
}

}  // namespace

Tokenizer::Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Tokenizer Tokenizer::fromJsonText(std::string_view tokenizerJson,
                                  std::string_view tokenizerConfigJson,
                                  const std::string& sourceName) {
  auto impl = buildImpl(detail::readTokenizerJson(tokenizerJson, sourceName));
  detail::TokenizerConfigSpec config;
  if (!tokenizerConfigJson.empty()) {
    std::string configName = "tokenizer_config.json";
    auto slash = sourceName.find_last_of('/');
    if (slash != std::string::npos) configName = sourceName.substr(0, slash + 1) + configName;
    config = detail::readTokenizerConfigJson(tokenizerConfigJson, configName);
  }
  applyConfig(*impl, config);
  return Tokenizer(std::move(impl));
}

Tokenizer Tokenizer::fromFile(const std::filesystem::path& tokenizerJson) {
  std::string json = readFile(tokenizerJson);
  std::string config;
  auto configPath = tokenizerJson.parent_path() / "tokenizer_config.json";
  std::error_code error;
  if (std::filesystem::is_regular_file(configPath, error)) config = readFile(configPath);
  if (config.empty()) return fromJsonText(json, {}, tokenizerJson.string());
  return fromJsonText(json, config, tokenizerJson.string());
}

Tokenizer Tokenizer::fromDirectory(const std::filesystem::path& dir) {
  auto path = dir / "tokenizer.json";
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw Error(path.string() + ": no tokenizer.json in " + dir.string());
  }
  return fromFile(path);
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<std::int32_t> ids;
  ids.reserve(text.size() / 3 + 1);
  std::vector<detail::TextSegment> segments;
  impl_->addedTokens->split(text, segments);
  std::string normalized;
  std::vector<std::string_view> words;
  std::deque<std::string> storage;
  for (const auto& segment : segments) {
    if (segment.tokenId >= 0) {
      ids.push_back(segment.tokenId);
      continue;
    }
    std::string_view piece = segment.text;
    if (impl_->nfc) piece = detail::normalizeNfc(piece, normalized);
    impl_->preTokenizer->split(piece, words, storage);
    for (std::string_view word : words) impl_->bpe->encodeWord(word, ids);
    storage.clear();
  }
  return ids;
}

std::string Tokenizer::decode(std::span<const std::int32_t> ids, bool skipSpecialTokens) const {
  std::string text;
  for (std::int32_t id : ids) {
    impl_->checkId(id);
    if (skipSpecialTokens && impl_->special[std::size_t(id)]) continue;
    text += impl_->tokenBytes[std::size_t(id)];
  }
  return text;
}

std::int32_t Tokenizer::vocabSize() const { return std::int32_t(impl_->known.size()); }
std::optional<std::int32_t> Tokenizer::bosId() const { return impl_->bos; }
std::optional<std::int32_t> Tokenizer::eosId() const { return impl_->eos; }
std::optional<std::int32_t> Tokenizer::padId() const { return impl_->pad; }

std::vector<std::int32_t> Tokenizer::stopIds() const {
  std::vector<std::int32_t> stops;
  if (impl_->eos) stops.push_back(*impl_->eos);
  for (const char* name : {"<|eot_id|>", "<|im_end|>", "<|end_of_text|>", "<|endoftext|>"}) {
    auto id = impl_->idOf(name);
    if (id && std::find(stops.begin(), stops.end(), *id) == stops.end()) stops.push_back(*id);
  }
  return stops;
}

std::optional<std::int32_t> Tokenizer::tokenId(std::string_view tokenText) const {
  return impl_->idOf(tokenText);
}

std::string Tokenizer::tokenText(std::int32_t id) const {
  impl_->checkId(id);
  return impl_->tokenTexts[std::size_t(id)];
}

bool Tokenizer::isSpecial(std::int32_t id) const {
  impl_->checkId(id);
  return impl_->special[std::size_t(id)] != 0;
}

ChatFormat Tokenizer::chatFormat() const { return impl_->chatFormat; }

}  // namespace astro::tokenizer
