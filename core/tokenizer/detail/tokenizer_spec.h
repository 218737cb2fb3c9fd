// What tokenizer.json and tokenizer_config.json say, checked and in plain C++ values: the reader
// (tokenizer_json.cpp) fills it, the Tokenizer builds its matchers and BPE model from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace astro::tokenizer::detail {

struct AddedTokenSpec {
  std::int32_t id = 0;
  std::string content;
  bool special = false;
  bool singleWord = false;  // only matched when not inside a word
  bool lstrip = false;      // swallows the whitespace before it
  bool rstrip = false;      // swallows the whitespace after it
  bool normalized = false;
};

enum class SplitBehavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous };

struct PreTokenizerStep {
  enum class Kind { Split, ByteLevel };
  Kind kind = Kind::Split;
  std::string jsonPath;  // "pre_tokenizer.pretokenizers[0]", for messages
  // Split
  std::string pattern;
  bool patternIsRegex = true;
  SplitBehavior behavior = SplitBehavior::Isolated;
  bool invert = false;
  // ByteLevel
  bool addPrefixSpace = false;
  bool useRegex = false;  // split with GPT-2's pattern first
};

struct TokenizerSpec {
  std::string source;  // file name for messages
  std::vector<std::pair<std::string, std::int32_t>> vocab;
  std::vector<std::pair<std::string, std::string>> merges;  // best rank first
  std::vector<AddedTokenSpec> addedTokens;
  bool nfc = false;
  std::vector<PreTokenizerStep> preTokenizer;
  bool ignoreMerges = false;
  std::optional<std::string> unknownToken;
};

struct TokenizerConfigSpec {
  std::optional<std::string> bosToken;
  std::optional<std::string> eosToken;
  std::optional<std::string> padToken;
  std::string chatTemplate;  // empty when there is none
};

// Both throw astro::Error naming `source` and the JSON path at fault.
TokenizerSpec readTokenizerJson(std::string_view text, const std::string& source);
TokenizerConfigSpec readTokenizerConfigJson(std::string_view text, const std::string& source);

// Ids must stay below this, so a corrupt file cannot make the tables huge.
inline constexpr std::int64_t kMaxTokenId = (std::int64_t(1) << 22) - 1;

}  // namespace astro::tokenizer::detail
