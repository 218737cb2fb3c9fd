// A Hugging Face tokenizer.json byte-level BPE tokenizer (Llama 3, Qwen, GPT-2 style): added and
// special tokens, Split/ByteLevel pre-tokenizers, merges by rank, lossless decoding of any bytes.
// Reads tokenizer_config.json beside it for BOS/EOS/PAD and the chat format.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/chat_format.h"

namespace astro::tokenizer {

class Tokenizer {
 public:
  // Throws astro::Error naming the file and JSON path of anything malformed or unsupported.
  static Tokenizer fromFile(const std::filesystem::path& tokenizerJson);
  // dir/tokenizer.json (+ dir/tokenizer_config.json when present).
  static Tokenizer fromDirectory(const std::filesystem::path& dir);
  // From JSON text held in memory; `sourceName` names it in error messages. An empty
  // `tokenizerConfigJson` means there is no tokenizer_config.json.
  static Tokenizer fromJsonText(std::string_view tokenizerJson,
                                std::string_view tokenizerConfigJson = {},
                                const std::string& sourceName = "tokenizer.json");

  // Never adds BOS; special and added tokens written in the text are matched as such.
  std::vector<std::int32_t> encode(std::string_view text) const;
  // Lossless for any byte sequence: bytes that are not UTF-8 come back as the same bytes.
  // Throws astro::Error for an id outside the vocabulary.
  std::string decode(std::span<const std::int32_t> ids, bool skipSpecialTokens = false) const;

  std::int32_t vocabSize() const;  // max id + 1, added tokens included
  std::optional<std::int32_t> bosId() const;
  std::optional<std::int32_t> eosId() const;
  std::optional<std::int32_t> padId() const;
  // EOS plus the end-of-turn tokens that exist (<|eot_id|>, <|im_end|>, <|end_of_text|>,
  // <|endoftext|>), each once.
  std::vector<std::int32_t> stopIds() const;
  // Token as written in tokenizer.json ("Ġthe", "<|eot_id|>") and back.
  std::optional<std::int32_t> tokenId(std::string_view tokenText) const;
  std::string tokenText(std::int32_t id) const;  // throws astro::Error for an unknown id
  bool isSpecial(std::int32_t id) const;
  ChatFormat chatFormat() const;

  struct Impl;

 private:
  explicit Tokenizer(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;  // immutable and shared: copies are cheap, thread-safe
};

}  // namespace astro::tokenizer
