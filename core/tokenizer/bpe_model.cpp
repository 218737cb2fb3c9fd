// BPE merging as Hugging Face tokenizers does it: repeatedly merge the adjacent pair with the
// lowest merge rank (leftmost on ties), using a linked list of symbols and a min-heap of
// candidate pairs, so long words cost O(n log n) rather than O(n^2).
#include "core/tokenizer/detail/bpe_model.h"

#include <algorithm>
#include <queue>

#include "core/tokenizer/detail/byte_level.h"

namespace astro::tokenizer::detail {

BpeModel::BpeModel(StringMap<std::int32_t> vocab, const std::vector<BpeMerge>& mergesByRank,
                   BpeOptions options)
    : vocab_(std::move(vocab)), options_(options) {
  mergeRules_.reserve(mergesByRank.size());
  for (std::size_t rank = 0; rank < mergesByRank.size(); ++rank) {
    const auto& merge = mergesByRank[rank];
    // The first listing of a pair wins: it has the better rank.
    mergeRules_.try_emplace(pairKey(merge.left, merge.right),
                            MergeRule{std::int32_t(rank), merge.merged});
  }
  for (int byte = 0; byte < 256; ++byte) {
    auto found = vocab_.find(byteLevelChar(static_cast<unsigned char>(byte)));
    idOfByte_[byte] = found == vocab_.end() ? -1 : found->second;
  }
}

std::optional<std::int32_t> BpeModel::idOf(std::string_view byteLevelText) const {
  auto found = vocab_.find(byteLevelText);
  if (found == vocab_.end()) return std::nullopt;
  return found->second;
}

void BpeModel::encodeWord(std::string_view wordBytes, std::vector<std::int32_t>& ids) const {
  if (wordBytes.empty()) return;
  if (wordBytes.size() == 1) {
    std::int32_t id = idOfByte_[static_cast<unsigned char>(wordBytes[0])];
    if (id >= 0) {
      ids.push_back(id);
    } else if (options_.unknownId) {
      ids.push_back(*options_.unknownId);
    }
    return;
  }
  bool cacheable = wordBytes.size() <= kMaxCachedWordBytes;
  if (cacheable) {
    std::lock_guard lock(cacheMutex_);
    auto found = cache_.find(wordBytes);
    if (found != cache_.end()) {
      ids.insert(ids.end(), found->second.begin(), found->second.end());
      return;
    }
  }
  std::size_t first = ids.size();
  if (options_.ignoreMerges) {
    if (auto whole = idOf(bytesToByteLevel(wordBytes))) {
      ids.push_back(*whole);
    } else {
      mergeWord(wordBytes, ids);
    }
  } else {
    mergeWord(wordBytes, ids);
  }
  if (cacheable) {
    std::lock_guard lock(cacheMutex_);
    if (cache_.size() >= kMaxCachedWords) cache_.clear();
    cache_.try_emplace(std::string(wordBytes), ids.begin() + std::ptrdiff_t(first), ids.end());
  }
}

void BpeModel::mergeWord(std::string_view wordBytes, std::vector<std::int32_t>& ids) const {
  struct Symbol {
    std::int32_t id;
    std::int32_t previous;  // index into symbols, -1 at the start
    std::int32_t next;      // index into symbols, -1 at the end
  };
  struct Candidate {
    std::int32_t rank;
    std::int32_t position;  // index of the left symbol
    std::int32_t left;
    std::int32_t right;
    std::int32_t merged;
    bool operator>(const Candidate& other) const {
      return rank != other.rank ? rank > other.rank : position > other.position;
    }
  };

  std::vector<Symbol> symbols;
  symbols.reserve(wordBytes.size());
  for (unsigned char byte : wordBytes) {
    std::int32_t id = idOfByte_[byte];
    if (id < 0) {
      if (!options_.unknownId) continue;
      id = *options_.unknownId;
    }
    auto index = std::int32_t(symbols.size());
    symbols.push_back({id, index - 1, -1});
    if (index > 0) symbols[index - 1].next = index;
  }

  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
  auto offer = [&](std::int32_t position) {
    if (position < 0) return;
    std::int32_t next = symbols[position].next;
    if (next < 0) return;
    auto rule = mergeRules_.find(pairKey(symbols[position].id, symbols[next].id));
    if (rule == mergeRules_.end()) return;
    queue.push(
        {rule->second.rank, position, symbols[position].id, symbols[next].id, rule->second.merged});
  };
  for (std::int32_t position = 0; position + 1 < std::int32_t(symbols.size()); ++position) {
    offer(position);
  }

  while (!queue.empty()) {
    Candidate candidate = queue.top();
    queue.pop();
    Symbol& left = symbols[candidate.position];
    // Skip candidates made stale by an earlier merge of either symbol.
    if (left.id != candidate.left || left.next < 0) continue;
    Symbol& right = symbols[left.next];
    if (right.id != candidate.right) continue;
    left.id = candidate.merged;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].previous = candidate.position;
    right.id = -1;
    offer(left.previous);
    offer(candidate.position);
  }

  for (std::int32_t index = symbols.empty() ? -1 : 0; index >= 0; index = symbols[index].next) {
    ids.push_back(symbols[index].id);
  }
}

}  // namespace astro::tokenizer::detail
