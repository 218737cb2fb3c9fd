// Structure recognition for answers: matrices, unions, sets, tuples/intervals, \pm pairs,
// equations. Works on text so that each part is parsed as an expression only when compared.
#include "core/math/structures.h"

#include <cctype>

namespace astro::math {

namespace {

constexpr int kMaxStructureDepth = 8;

AnswerStructure withShape(AnswerShape shape, std::string text = {}) {
  AnswerStructure structure;
  structure.shape = shape;
  structure.text = std::move(text);
  return structure;
}

bool isOpen(char c) { return c == '(' || c == '[' || c == '{'; }
bool isClose(char c) { return c == ')' || c == ']' || c == '}'; }

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

// True when the bracket at 0 closes exactly at the last character ("(1,2]" yes, "(1)(2)" no).
bool wrappedByOneBracketPair(std::string_view text) {
  if (text.size() < 2 || !isOpen(text.front()) || !isClose(text.back())) return false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    if (isOpen(text[i])) ++depth;
    if (isClose(text[i]) && --depth == 0) return i + 1 == text.size();
  }
  return false;
}

bool startsWithCommand(std::string_view text, std::size_t at, std::string_view name) {
  if (text.substr(at, name.size()) != name) return false;
  std::size_t end = at + name.size();
  return end >= text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
}

// Position of the first top-level \pm or \mp, or npos.
std::size_t findTopLevelPlusMinus(std::string_view text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      if (depth == 0 && (startsWithCommand(text, i, "\\pm") || startsWithCommand(text, i, "\\mp"))) {
        return i;
      }
      ++i;
      continue;
    }
    if (isOpen(text[i])) ++depth;
    if (isClose(text[i])) --depth;
  }
  return std::string::npos;
}

AnswerStructure parseMatrix(const std::string& text, int depth) {
  AnswerStructure matrix;
  std::size_t nameEnd = text.find('}');
  std::string environment = text.substr(7, nameEnd - 7);  // after "\begin{"
  std::string closing = "\\end{" + environment + "}";
  if (!text.ends_with(closing)) return withShape(AnswerShape::kScalar, text);
  std::string body = text.substr(nameEnd + 1, text.size() - closing.size() - nameEnd - 1);
  matrix.shape = AnswerShape::kMatrix;
  for (const std::string& row : splitTopLevel(body, "\\\\")) {
    if (trim(row).empty()) continue;  // a trailing \\ before \end
    auto cells = splitTopLevel(row, "&");
    if (matrix.rows > 0 && static_cast<int>(cells.size()) != matrix.columns) {
      return withShape(AnswerShape::kScalar, text);  // ragged: not a matrix we can compare
    }
    matrix.columns = static_cast<int>(cells.size());
    ++matrix.rows;
    for (const std::string& cell : cells) {
      matrix.items.push_back(parseAnswerStructure(trim(cell), depth + 1));
    }
  }
  return matrix;
}

}  // namespace

// Lists and sets absorb the pairs that \pm items expand to: {1 \pm \sqrt5, -2} has three elements.
static AnswerStructure unorderedOf(const std::vector<std::string>& parts, bool explicitSet, int depth) {
  AnswerStructure result = withShape(AnswerShape::kUnordered);
  result.explicitSet = explicitSet;
  for (const auto& part : parts) {
    AnswerStructure item = parseAnswerStructure(part, depth + 1);
    if (item.shape == AnswerShape::kUnordered && !item.explicitSet) {
      for (auto& inner : item.items) result.items.push_back(std::move(inner));
    } else {
      result.items.push_back(std::move(item));
    }
  }
  return result;
}

const char* shapeName(AnswerShape shape) {
  switch (shape) {
    case AnswerShape::kScalar: return "scalar";
    case AnswerShape::kEquation: return "equation";
    case AnswerShape::kOrdered: return "tuple";
    case AnswerShape::kUnordered: return "set";
    case AnswerShape::kUnion: return "union";
    case AnswerShape::kMatrix: return "matrix";
  }
  return "unknown";
}

std::vector<std::string> splitTopLevel(std::string_view text, std::string_view separator) {
  std::vector<std::string> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (depth == 0 && text.substr(i, separator.size()) == separator &&
        (separator[0] != '\\' || separator == "\\\\" ||
         startsWithCommand(text, i, separator))) {
      parts.push_back(trim(text.substr(start, i - start)));
      i += separator.size() - 1;
      start = i + 1;
      continue;
    }
    if (text[i] == '\\') {
      if (i + 1 < text.size() && (text[i + 1] == '{' || text[i + 1] == '}')) {
        depth += text[i + 1] == '{' ? 1 : -1;
      }
      ++i;
      continue;
    }
    if (isOpen(text[i])) ++depth;
    if (isClose(text[i])) --depth;
  }
  parts.push_back(trim(text.substr(start)));
  return parts;
}

AnswerStructure parseAnswerStructure(std::string_view normalized, int depth) {
  std::string text = trim(normalized);
  AnswerStructure scalar = withShape(AnswerShape::kScalar, text);
  if (depth > kMaxStructureDepth || text.empty()) return scalar;

  // "x \in [-2,7]": the set is the answer.
  if (text.size() > 4 && std::isalpha(static_cast<unsigned char>(text[0]))) {
    std::string rest = trim(std::string_view(text).substr(1));
    if (startsWithCommand(rest, 0, "\\in")) return parseAnswerStructure(rest.substr(3), depth + 1);
  }
  if (text.starts_with("\\begin{") && text.find('}') != std::string::npos) {
    return parseMatrix(text, depth);
  }
  auto unionParts = splitTopLevel(text, "\\cup");
  if (unionParts.size() > 1) {
    AnswerStructure result = withShape(AnswerShape::kUnion);
    for (const auto& part : unionParts) result.items.push_back(parseAnswerStructure(part, depth + 1));
    return result;
  }
  if (text.starts_with("\\{") && text.ends_with("\\}") && text.size() >= 4) {
    std::string inner = text.substr(2, text.size() - 4);
    if (trim(inner).empty()) return unorderedOf({}, true, depth);
    return unorderedOf(splitTopLevel(inner, ","), true, depth);
  }
  if ((text.front() == '(' || text.front() == '[') &&
      (text.back() == ')' || text.back() == ']') && wrappedByOneBracketPair(text)) {
    auto parts = splitTopLevel(std::string_view(text).substr(1, text.size() - 2), ",");
    if (parts.size() > 1) {
      AnswerStructure result = withShape(AnswerShape::kOrdered);
      result.open = text.front();
      result.close = text.back();
      for (const auto& part : parts) result.items.push_back(parseAnswerStructure(part, depth + 1));
      return result;
    }
  }
  auto listParts = splitTopLevel(text, ",");
  if (listParts.size() > 1) return unorderedOf(listParts, false, depth);
  std::size_t plusMinus = findTopLevelPlusMinus(text);
  if (plusMinus != std::string::npos) {
    // a \pm b is the pair {a + b, a - b}; "\mp" swaps the signs, which a set ignores.
    AnswerStructure result = withShape(AnswerShape::kUnordered);
    std::string head = text.substr(0, plusMinus);
    std::string tail = text.substr(plusMinus + 3);
    result.items.push_back(parseAnswerStructure(head + "+" + tail, depth + 1));
    result.items.push_back(parseAnswerStructure(head + "-" + tail, depth + 1));
    return result;
  }
  auto sides = splitTopLevel(text, "=");
  if (sides.size() == 2 && !sides[0].empty() && !sides[1].empty()) {
    AnswerStructure result = withShape(AnswerShape::kEquation);
    result.lhs = sides[0];
    result.rhs = sides[1];
    return result;
  }
  return scalar;
}

}  // namespace astro::math
