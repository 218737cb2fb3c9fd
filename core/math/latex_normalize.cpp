// Canonical spelling of answers. Each pass is a plain scan (no regex) so grading stays fast.
#include "core/math/latex_normalize.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace astro::math {

namespace {

bool isLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
  std::size_t at = 0;
  while ((at = text.find(from, at)) != std::string::npos) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
}

// Replaces the command \name (not a longer command such as \leftarrow for \left).
void replaceCommand(std::string& text, std::string_view name, std::string_view to) {
  std::string needle = "\\" + std::string(name);
  std::size_t at = 0;
  while ((at = text.find(needle, at)) != std::string::npos) {
    std::size_t end = at + needle.size();
    bool escapedBackslash = at > 0 && text[at - 1] == '\\';
    if ((end < text.size() && isLetter(text[end])) || escapedBackslash) {
      at = end;
      continue;
    }
    text.replace(at, needle.size(), to);
    at += to.size();
  }
}

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && isSpace(text[begin])) ++begin;
  while (end > begin && isSpace(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

// Index just past the '}' matching the '{' at `open`, or npos.
std::size_t matchBrace(const std::string& text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i + 1;
  }
  return std::string::npos;
}

void replaceUnicode(std::string& text) {
  static const std::array<std::pair<const char*, const char*>, 12> kReplacements = {{
      {"\xE2\x88\x92", "-"},           // minus sign
      {"\xC3\x97", "\\times "},        // multiplication sign
      {"\xC2\xB7", "\\cdot "},         // middle dot
      {"\xCF\x80", "\\pi "},           // pi
      {"\xE2\x88\x9E", "\\infty "},    // infinity
      {"\xE2\x88\x9A", "\\sqrt"},      // square root
      {"\xC2\xB0", ""},                // degree sign
      {"\xC2\xA0", " "},               // no-break space
      {"\xE2\x89\xA4", "\\le "},       // less-or-equal
      {"\xE2\x89\xA5", "\\ge "},       // greater-or-equal
      {"\xE2\x88\xAA", "\\cup "},      // union
      {"\xE2\x80\x89", " "},           // thin space
  }};
  for (const auto& [from, to] : kReplacements) replaceAll(text, from, to);
}

void stripDelimiters(std::string& text) {
  for (bool changed = true; changed;) {
    changed = false;
    text = trim(text);
    auto wrapped = [&](std::string_view open, std::string_view close) {
      return text.size() >= open.size() + close.size() && text.starts_with(open) &&
             text.ends_with(close);
    };
    if (wrapped("$$", "$$")) {
      text = text.substr(2, text.size() - 4), changed = true;
    } else if (wrapped("$", "$") && !text.ends_with("\\$")) {
      text = text.substr(1, text.size() - 2), changed = true;
    } else if (wrapped("\\(", "\\)") || wrapped("\\[", "\\]")) {
      text = text.substr(2, text.size() - 4), changed = true;
    } else if (text.starts_with("\\boxed{") && matchBrace(text, 6) == text.size()) {
      text = text.substr(7, text.size() - 8), changed = true;
    }
  }
}

// Thousands separators: "10,\!080", "1{,}000" and "32,\! 348" become plain digit runs.
void removeThousandsSeparators(std::string& text) {
  for (std::string_view separator : {"{,}", ",\\!"}) {
    std::size_t at = 0;
    while ((at = text.find(separator, at)) != std::string::npos) {
      std::size_t after = at + separator.size();
      while (after < text.size() && text[after] == ' ') ++after;
      if (at > 0 && isDigit(text[at - 1]) && after < text.size() && isDigit(text[after])) {
        text.erase(at, after - at);
      } else {
        at = after;
      }
    }
  }
}

constexpr std::array<const char*, 44> kUnitWords = {
    "cm", "mm", "km", "meter", "meters", "metre", "metres", "inch", "inches", "foot", "feet",
    "ft", "yard", "yards", "mile", "miles", "mph", "unit", "units", "degree", "degrees",
    "dollar", "dollars", "cent", "cents", "hour", "hours", "minute", "minutes", "second",
    "seconds", "day", "days", "week", "weeks", "year", "years", "square", "sq", "cubic",
    "percent", "pounds", "ounces", "liters"};

// "ways", "square feet", "red marbles": words of two or more letters naming what a quantity
// counts. One-letter words are variables and stay.
bool isNounPhrase(const std::string& lower) {
  bool any = false;
  std::size_t wordLength = 0;
  for (char c : lower + " ") {
    if (isLetter(c)) {
      ++wordLength;
    } else if (c == ' ') {
      if (wordLength == 1) return false;
      any = any || wordLength > 0;
      wordLength = 0;
    } else {
      return false;
    }
  }
  return any;
}

// \text{...} and friends: keep the words that carry the answer ("\text{(B)}", "\text{Evelyn}"),
// drop trailing unit words after a quantity ("5.4 \text{ cents}", "15\mbox{ cm}^2").
void unwrapTextCommands(std::string& text) {
  static const std::array<const char*, 9> kWrappers = {
      "text", "textbf", "textrm", "textit", "mbox", "mathrm", "mathbf", "mathit", "textnormal"};
  for (bool changed = true; changed;) {
    changed = false;
    for (const char* wrapper : kWrappers) {
      std::string needle = std::string("\\") + wrapper + "{";
      std::size_t at = text.find(needle);
      if (at == std::string::npos) continue;
      std::size_t open = at + needle.size() - 1;
      std::size_t end = matchBrace(text, open);
      if (end == std::string::npos) {
        text.erase(at, needle.size() - 1);  // unbalanced: drop the command name only
        changed = true;
        break;
      }
      std::string content = trim(std::string_view(text).substr(open + 1, end - open - 2));
      std::string lower = content;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string before = trim(std::string_view(text).substr(0, at));
      bool afterQuantity = !before.empty() && (isDigit(before.back()) || before.back() == '}' ||
                                               before.back() == ')');
      std::string replacement = content;
      if (lower == "and" || lower == "or" || lower == ", and" || lower == ",and") {
        replacement = ",";
      } else if (afterQuantity && (isUnitWord(lower) || isNounPhrase(lower))) {
        replacement = "";
        if (end < text.size() && text[end] == '^' && end + 1 < text.size()) {
          end += 2;  // the ^2 of "cm}^2"
        }
      } else if (isLetter(content.empty() ? ' ' : content[0])) {
        // Keep words apart from what precedes them ("\text{A}\text{B}" stays two words).
        replacement = (before.empty() ? "" : " ") + content;
      }
      text.replace(at, end - at, replacement);
      changed = true;
      break;
    }
  }
}

std::string lastWord(const std::string& text) {
  std::size_t start = text.size();
  while (start > 0 && isLetter(text[start - 1])) --start;
  std::string word = text.substr(start);
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return word;
}

void removeTrailingUnitWords(std::string& text) {
  while (true) {
    std::size_t end = text.size();
    while (end > 0 && isSpace(text[end - 1])) --end;
    std::size_t wordEnd = end;
    if (end >= 2 && text[end - 2] == '^' && (text[end - 1] == '2' || text[end - 1] == '3')) {
      wordEnd = end - 2;
    }
    std::size_t wordStart = wordEnd;
    while (wordStart > 0 && isLetter(text[wordStart - 1])) --wordStart;
    if (wordStart == wordEnd || wordStart == 0 || !isSpace(text[wordStart - 1])) return;
    std::string word = text.substr(wordStart, wordEnd - wordStart);
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string before = trim(std::string_view(text).substr(0, wordStart));
    if (!isUnitWord(word) || before.empty() ||
        !(isDigit(before.back()) || before.back() == '}' || isUnitWord(lastWord(before)))) {
      return;
    }
    text = before;
  }
}

// "2,125" and "1,450,000" (GSM8K writes these): a lone number with comma-grouped thousands.
// "1, 2" and "3,5,7" keep their commas; they are lists.
void removeBareThousandsCommas(std::string& text) {
  std::size_t at = text.starts_with("-") ? 1 : 0;
  std::size_t leadingDigits = 0;
  while (at < text.size() && isDigit(text[at])) ++at, ++leadingDigits;
  if (leadingDigits == 0 || leadingDigits > 3 || at >= text.size() || text[at] != ',') return;
  while (at < text.size() && text[at] == ',') {
    for (int k = 1; k <= 3; ++k) {
      if (at + k >= text.size() || !isDigit(text[at + k])) return;
    }
    at += 4;
  }
  if (at < text.size() && text[at] == '.') {
    ++at;
    if (at >= text.size()) return;
    while (at < text.size() && isDigit(text[at])) ++at;
  }
  if (at != text.size()) return;
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
}

// Single spaces survive only between two letters or two digits ("\sin x", "Evelyn Smith").
std::string collapseSpaces(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!isSpace(text[i])) {
      out.push_back(text[i]);
      continue;
    }
    std::size_t next = i;
    while (next < text.size() && isSpace(text[next])) ++next;
    if (!out.empty() && next < text.size()) {
      char previous = out.back();
      char following = text[next];
      bool letters = isLetter(previous) && isLetter(following);
      bool digits = isDigit(previous) && isDigit(following);
      if (letters || digits) out.push_back(' ');
    }
    i = next - 1;
  }
  return out;
}

// "x^{2}" -> "x^2", "4210_{5}" -> "4210_5": one-character scripts need no braces.
void unbraceSingleScripts(std::string& text) {
  for (std::size_t i = 0; i + 3 < text.size(); ++i) {
    if ((text[i] == '^' || text[i] == '_') && text[i + 1] == '{' && text[i + 3] == '}' &&
        std::isalnum(static_cast<unsigned char>(text[i + 2]))) {
      text.erase(i + 3, 1);
      text.erase(i + 1, 1);
    }
  }
}

}  // namespace

bool isUnitWord(std::string_view word) {
  if (word.size() < 2) return false;
  return std::any_of(kUnitWords.begin(), kUnitWords.end(),
                     [&](const char* unit) { return word == unit; });
}


std::string normalizeAnswer(std::string_view answer) {
  std::string text(answer);
  replaceUnicode(text);
  stripDelimiters(text);
  replaceAll(text, "\\$", "");
  replaceAll(text, "$", "");
  for (const char* sizing : {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big"}) {
    replaceCommand(text, sizing, "");
  }
  for (const char* style : {"displaystyle", "textstyle"}) replaceCommand(text, style, "");
  replaceCommand(text, "dfrac", "\\frac");
  replaceCommand(text, "tfrac", "\\frac");
  replaceCommand(text, "dbinom", "\\binom");
  replaceCommand(text, "tbinom", "\\binom");
  replaceCommand(text, "le", "\\leq");
  replaceCommand(text, "ge", "\\geq");
  removeThousandsSeparators(text);
  for (const char* space : {"\\!", "\\,", "\\;", "\\:", "~"}) replaceAll(text, space, " ");
  // "\ " is a space, "\\ " a matrix row break followed by one.
  for (std::size_t at = 0; (at = text.find("\\ ", at)) != std::string::npos;) {
    if (at > 0 && text[at - 1] == '\\') {
      at += 2;
      continue;
    }
    text.replace(at, 2, " ");
  }
  replaceCommand(text, "quad", " ");
  replaceCommand(text, "qquad", " ");
  for (const char* degree : {"^{\\circ}", "^\\circ", "^{\\circ }", "\\circ", "\\degree"}) {
    replaceAll(text, degree, "");
  }
  replaceAll(text, "\\%", "");
  replaceAll(text, "%", "");
  unwrapTextCommands(text);
  removeTrailingUnitWords(text);
  text = trim(text);
  while (!text.empty() && text.back() == '.' &&
         !(text.size() >= 2 && text[text.size() - 2] == '\\')) {
    text.pop_back();
    text = trim(text);
  }
  unbraceSingleScripts(text);
  text = collapseSpaces(text);
  stripDelimiters(text);
  removeBareThousandsCommas(text);
  return text;
}

}  // namespace astro::math
