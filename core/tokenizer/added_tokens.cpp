// Added-token matching with the lstrip/rstrip/single_word flags of tokenizer.json. Whitespace
// and word characters are judged on ASCII, which covers the tokenizers this project ships.
#include "core/tokenizer/detail/added_tokens.h"

#include <algorithm>

namespace astro::tokenizer::detail {

namespace {

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool isWordChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' ||
         u >= 0x80;
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(const std::vector<AddedTokenSpec>& tokens) {
  for (const auto& token : tokens) {
    if (token.content.empty()) continue;
    byFirstByte_[static_cast<unsigned char>(token.content[0])].push_back(token);
  }
  for (auto& bucket : byFirstByte_) {
    std::stable_sort(bucket.begin(), bucket.end(), [](const auto& a, const auto& b) {
      return a.content.size() > b.content.size();
    });
  }
}

void AddedTokenMatcher::split(std::string_view text, std::vector<TextSegment>& segments) const {
  segments.clear();
  std::size_t textBegin = 0;  // start of the plain text not yet emitted
  std::size_t position = 0;
  while (position < text.size()) {
    const auto& bucket = byFirstByte_[static_cast<unsigned char>(text[position])];
    const AddedTokenSpec* found = nullptr;
    for (const auto& token : bucket) {
      if (text.compare(position, token.content.size(), token.content) != 0) continue;
      if (token.singleWord) {
        std::size_t end = position + token.content.size();
        bool wordBefore = position > 0 && isWordChar(text[position - 1]);
        bool wordAfter = end < text.size() && isWordChar(text[end]);
        if (wordBefore || wordAfter) continue;
      }
      found = &token;
      break;
    }
    if (!found) {
      ++position;
      continue;
    }
    std::size_t begin = position;
    std::size_t end = position + found->content.size();
    if (found->lstrip) {
      while (begin > textBegin && isSpace(text[begin - 1])) --begin;
    }
    if (found->rstrip) {
      while (end < text.size() && isSpace(text[end])) ++end;
    }
    if (begin > textBegin) segments.push_back({text.substr(textBegin, begin - textBegin), -1});
    segments.push_back({text.substr(begin, end - begin), found->id});
    textBegin = position = end;
  }
  if (textBegin < text.size()) segments.push_back({text.substr(textBegin), -1});
}

}  // namespace astro::tokenizer::detail
