// Answer extraction by scanning backwards for markers; no regex, linear in the output size.
#include "core/math/answer_extraction.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace astro::math {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trimView(std::string_view text, std::size_t* leading = nullptr) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && isSpace(text[begin])) ++begin;
  while (end > begin && isSpace(text[end - 1])) --end;
  if (leading != nullptr) *leading = begin;
  return text.substr(begin, end - begin);
}

// Content of the braced group opening at `open`, or nullopt when the output ends first.
std::optional<std::string_view> bracedContent(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return text.substr(open + 1, i - open - 1);
  }
  return std::nullopt;
}

std::optional<Extraction> extractBoxed(std::string_view output) {
  std::size_t searchEnd = output.size();
  while (searchEnd > 0) {
    std::size_t boxed = output.rfind("\\boxed", searchEnd - 1);
    std::size_t fbox = output.rfind("\\fbox", searchEnd - 1);
    std::size_t at = boxed;
    if (at == std::string_view::npos || (fbox != std::string_view::npos && fbox > at)) at = fbox;
    if (at == std::string_view::npos) return std::nullopt;
    bool isFbox = at == fbox;
    std::size_t after = at + (isFbox ? 5 : 6);
    std::size_t cursor = after;
    while (cursor < output.size() && output[cursor] == ' ') ++cursor;
    if (cursor < output.size() && output[cursor] == '{') {
      if (auto content = bracedContent(output, cursor)) {
        return Extraction{std::string(*content), cursor + 1, isFbox ? "fbox" : "boxed"};
      }
    } else if (cursor > after && cursor < output.size()) {
      // "\boxed 5": the argument runs to the next space or closing dollar.
      std::size_t end = cursor;
      while (end < output.size() && !isSpace(output[end]) && output[end] != '$') ++end;
      return Extraction{std::string(output.substr(cursor, end - cursor)), cursor,
                        isFbox ? "fbox" : "boxed"};
    }
    searchEnd = at;  // unbalanced or bare \boxed: try an earlier one
  }
  return std::nullopt;
}

std::string lowerCopy(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The answer after a phrase ends at a line break or a sentence-ending period.
std::string_view phraseAnswer(std::string_view rest, std::size_t* offset) {
  std::size_t begin = 0;
  while (begin < rest.size() && (isSpace(rest[begin]) || rest[begin] == ':')) ++begin;
  std::size_t end = begin;
  while (end < rest.size() && rest[end] != '\n') {
    if (rest[end] == '.' && (end + 1 == rest.size() || isSpace(rest[end + 1]))) break;
    ++end;
  }
  std::string_view answer = rest.substr(begin, end - begin);
  std::size_t leading = 0;
  answer = trimView(answer, &leading);
  *offset = begin + leading;
  // "$\frac{1}{2}$" and "**5**": drop the markup around the answer.
  while (answer.size() >= 2 && ((answer.front() == '$' && answer.back() == '$') ||
                                (answer.front() == '*' && answer.back() == '*'))) {
    answer = answer.substr(1, answer.size() - 2);
    ++*offset;
  }
  return answer;
}

std::optional<Extraction> extractPhrase(std::string_view output) {
  static const std::array<const char*, 3> kPhrases = {"final answer is", "the answer is",
                                                      "final answer:"};
  std::string lower = lowerCopy(output);
  std::size_t best = std::string::npos;
  std::size_t bestLength = 0;
  for (const char* phrase : kPhrases) {
    std::size_t at = lower.rfind(phrase);
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      bestLength = std::char_traits<char>::length(phrase);
    }
  }
  if (best == std::string::npos) return std::nullopt;
  std::size_t offset = 0;
  std::string_view answer = phraseAnswer(output.substr(best + bestLength), &offset);
  if (answer.empty()) return std::nullopt;
  return Extraction{std::string(answer), best + bestLength + offset, "phrase"};
}

std::optional<Extraction> extractHashes(std::string_view output) {
  std::size_t at = output.rfind("####");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = output.substr(at + 4);
  std::size_t lineEnd = rest.find('\n');
  if (lineEnd != std::string_view::npos) rest = rest.substr(0, lineEnd);
  std::size_t leading = 0;
  std::string_view answer = trimView(rest, &leading);
  if (answer.empty()) return std::nullopt;
  return Extraction{std::string(answer), at + 4 + leading, "hashes"};
}

}  // namespace

std::optional<Extraction> extractAnswer(std::string_view output) {
  if (auto boxed = extractBoxed(output)) return boxed;
  // A phrase and a "####" line: the later one is the conclusion (GSM8K solutions say "the answer
  // is" mid-way and end with "#### N").
  auto phrase = extractPhrase(output);
  auto hashes = extractHashes(output);
  if (phrase && hashes) return phrase->offset > hashes->offset ? phrase : hashes;
  if (phrase) return phrase;
  if (hashes) return hashes;
  std::size_t leading = 0;
  std::string_view bare = trimView(output, &leading);
  // A \boxed that never closes is a truncated output, not a bare answer.
  if (bare.empty() || bare.size() > kMaxBareAnswerBytes || bare.find('\n') != bare.npos ||
      bare.find("\\boxed") != bare.npos || bare.find("\\fbox") != bare.npos) {
    return std::nullopt;
  }
  return Extraction{std::string(bare), leading, "bare"};
}

}  // namespace astro::math
