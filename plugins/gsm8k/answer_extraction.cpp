// Finding the final answer in a model output (answer_extraction.h); scans backwards for markers,
// no regex, linear in the output size.
#include "answer_extraction.h"

#include <array>

#include "number_tokens.h"

namespace gsm8k {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

std::string_view trimmed(std::string_view text, std::size_t* leading) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && isSpace(text[begin])) ++begin;
  while (end > begin && isSpace(text[end - 1])) --end;
  *leading = begin;
  return text.substr(begin, end - begin);
}

// The text of the last "####" line, when it says anything ("####" alone falls through).
std::optional<Extraction> extractHashes(std::string_view output) {
  std::size_t at = output.rfind("####");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t begin = at + 4;
  std::size_t lineEnd = output.find('\n', begin);
  if (lineEnd == std::string_view::npos) lineEnd = output.size();
  std::size_t leading = 0;
  std::string_view answer = trimmed(output.substr(begin, lineEnd - begin), &leading);
  if (answer.empty()) return std::nullopt;
  return Extraction{std::string(answer), begin + leading, "hashes"};
}

// The content of the last balanced \boxed{...}.
std::optional<Extraction> extractBoxed(std::string_view output) {
  std::size_t searchEnd = output.size();
  while (searchEnd > 0) {
    std::size_t at = output.rfind("\\boxed{", searchEnd - 1);
    if (at == std::string_view::npos) return std::nullopt;
    std::size_t open = at + 6;
    int depth = 0;
    for (std::size_t i = open; i < output.size(); ++i) {
      if (output[i] == '{') ++depth;
      if (output[i] == '}' && --depth == 0) {
        return Extraction{std::string(output.substr(open + 1, i - open - 1)), open + 1, "boxed"};
      }
    }
    searchEnd = at;  // never closed (a truncated output): an earlier one may be whole
  }
  return std::nullopt;
}

// What follows the last "the answer is" / "final answer is" / "final answer:", to the end of its
// line or sentence.
std::optional<Extraction> extractPhrase(std::string_view output) {
  static constexpr std::array<std::string_view, 3> kPhrases = {"the answer is", "final answer is",
                                                               "final answer:"};
  std::string folded(output.size(), ' ');
  for (std::size_t i = 0; i < output.size(); ++i) folded[i] = lower(output[i]);
  std::size_t best = std::string::npos;
  std::size_t after = 0;
  for (std::string_view phrase : kPhrases) {
    std::size_t at = folded.rfind(phrase);
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      after = at + phrase.size();
    }
  }
  if (best == std::string::npos) return std::nullopt;
  std::size_t end = after;
  while (end < output.size() && output[end] != '\n') {
    // A sentence ends at ". " or a final "."; "3.5" goes on.
    if (output[end] == '.' && (end + 1 == output.size() || isSpace(output[end + 1]))) break;
    ++end;
  }
  std::size_t leading = 0;
  std::string_view answer = trimmed(output.substr(after, end - after), &leading);
  while (answer.starts_with(":")) {
    answer.remove_prefix(1);
    ++leading;
  }
  if (answer.empty()) return std::nullopt;
  return Extraction{std::string(answer), after + leading, "phrase"};
}

// Appends `text` with LaTeX and Markdown markup dropped; \frac{a}{b} becomes "a/b".
void appendWithoutMarkup(std::string_view text, std::string& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      std::size_t name = i + 1;
      std::size_t nameEnd = name;
      while (nameEnd < text.size() && lower(text[nameEnd]) >= 'a' && lower(text[nameEnd]) <= 'z')
        ++nameEnd;
      std::string_view command = text.substr(name, nameEnd - name);
      if (command.ends_with("frac") && nameEnd < text.size() && text[nameEnd] == '{') {
        std::size_t close = text.find('}', nameEnd);
        if (close != std::string_view::npos && close + 1 < text.size() && text[close + 1] == '{') {
          std::size_t close2 = text.find('}', close + 2);
          if (close2 != std::string_view::npos) {
            appendWithoutMarkup(text.substr(nameEnd + 1, close - nameEnd - 1), out);
            out += '/';
            appendWithoutMarkup(text.substr(close + 2, close2 - close - 2), out);
            i = close2;
            continue;
          }
        }
      }
      // "\$", "\%", "\," and "\text", "\dollars": the command goes, its braced argument stays.
      i = command.empty() ? i + 1 : nameEnd - 1;
      out += ' ';
      continue;
    }
    if (c == '{' || c == '}' || c == '*' || c == '$') {
      out += ' ';
      continue;
    }
    out += c;
  }
}

}  // namespace

std::optional<Extraction> extractFinalAnswer(std::string_view output) {
  if (auto hashes = extractHashes(output)) return hashes;
  // A box beside a phrase ("The answer is \boxed{18}."): the box is the answer itself.
  if (auto boxed = extractBoxed(output)) return boxed;
  if (auto phrase = extractPhrase(output)) return phrase;
  if (auto last = findLastNumber(output)) {
    return Extraction{std::string(last->text), last->begin, "last-number"};
  }
  return std::nullopt;
}

std::optional<ExactNumber> answerNumber(std::string_view answer) {
  std::string plain;
  appendWithoutMarkup(answer, plain);
  std::string_view rest = plain;
  std::size_t equals = rest.rfind('=');
  if (equals != std::string_view::npos) rest.remove_prefix(equals + 1);
  auto token = findNumber(rest);
  if (!token) return std::nullopt;
  return parseExactNumber(token->text);
}

}  // namespace gsm8k
