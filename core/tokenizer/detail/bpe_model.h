// The BPE model of a byte-level tokenizer: turns one pre-token (raw bytes) into token ids by
// applying merges in rank order, with a cache per distinct word.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tokenizer/detail/string_hash.h"

namespace astro::tokenizer::detail {

struct BpeMerge {
  std::int32_t left = 0;
  std::int32_t right = 0;
  std::int32_t merged = 0;
};

struct BpeOptions {
  // Emit a word that is itself in the vocabulary as that one token (Llama 3's ignore_merges).
  bool ignoreMerges = false;
  // Stands for a byte whose symbol is missing from the vocabulary; without it such bytes are
  // dropped, as Hugging Face tokenizers does.
  std::optional<std::int32_t> unknownId;
};

class BpeModel {
 public:
  // `vocab` maps byte-level token text to ids; `mergesByRank` lists merges, best first.
  BpeModel(StringMap<std::int32_t> vocab, const std::vector<BpeMerge>& mergesByRank,
           BpeOptions options);

  // Appends the ids of one pre-token, given as raw bytes.
  void encodeWord(std::string_view wordBytes, std::vector<std::int32_t>& ids) const;

  std::optional<std::int32_t> idOf(std::string_view byteLevelText) const;

 private:
  struct MergeRule {
    std::int32_t rank;
    std::int32_t merged;
  };
  static std::uint64_t pairKey(std::int32_t left, std::int32_t right) {
    return (std::uint64_t(std::uint32_t(left)) << 32) | std::uint32_t(right);
  }
  void mergeWord(std::string_view wordBytes, std::vector<std::int32_t>& ids) const;

  StringMap<std::int32_t> vocab_;
  std::unordered_map<std::uint64_t, MergeRule> mergeRules_;
  std::int32_t idOfByte_[256];  // -1 where the byte's symbol is not in the vocabulary
  BpeOptions options_;

  // Most text repeats a few thousand words; caching them makes encoding mostly hash look-ups.
  static constexpr std::size_t kMaxCachedWords = 1 << 17;
  static constexpr std::size_t kMaxCachedWordBytes = 64;
  mutable std::mutex cacheMutex_;
  mutable StringMap<std::vector<std::int32_t>> cache_;
};

}  // namespace astro::tokenizer::detail
