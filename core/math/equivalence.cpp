// Answer equivalence over structures: normalise both answers, settle multiple-choice letters,
// then compare shapes (tuples keep order and bracket kinds, sets and lists do not) down to the
// scalars, which scalar_equivalence.cpp decides.
#include "core/math/equivalence.h"

#include <cctype>
#include <optional>

#include "core/math/latex_normalize.h"
#include "core/math/scalar_equivalence.h"
#include "core/math/structures.h"

namespace astro::math {

namespace {

constexpr std::size_t kMaxItemsMatched = 64;
// Longer "answers" are runaway outputs; refusing them keeps every pass below linear-time bounds.
constexpr std::size_t kMaxAnswerBytes = 4096;

// "B", "(B)", "B)", "(B) 12": a choice letter A-E; nullopt when the answer is not one.
std::optional<char> choiceLetter(std::string_view text, bool allowTrailingText) {
  std::size_t at = 0;
  bool parenthesized = at < text.size() && text[at] == '(';
  if (parenthesized) ++at;
  if (at >= text.size() || text[at] < 'A' || text[at] > 'E') return std::nullopt;
  char letter = text[at++];
  if (parenthesized) {
    if (at >= text.size() || text[at] != ')') return std::nullopt;
    ++at;
  } else if (at < text.size() && text[at] == ')') {
    ++at;
  }
  if (at == text.size()) return letter;
  // "(B) 12" and "B) 12": the letter followed by the option's text.
  bool closed = text[at - 1] == ')';
  if ((allowTrailingText || parenthesized) && (closed || text[at] == ' ')) return letter;
  return std::nullopt;
}

Equivalence compareStructures(const AnswerStructure& gold, const AnswerStructure& prediction,
                              const EquivalenceOptions& options);

Equivalence compareInOrder(const std::vector<AnswerStructure>& gold,
                           const std::vector<AnswerStructure>& prediction, const char* rule,
                           const EquivalenceOptions& options) {
  if (gold.size() != prediction.size()) {
    return {false, rule, std::to_string(gold.size()) + " items vs " +
                             std::to_string(prediction.size())};
  }
  for (std::size_t i = 0; i < gold.size(); ++i) {
    Equivalence item = compareStructures(gold[i], prediction[i], options);
    if (!item.equal) {
      return {false, rule, "item " + std::to_string(i + 1) + " differs (" + item.rule + ")"};
    }
  }
  return {true, rule, ""};
}

// Unordered: every gold item matched to a distinct prediction item (greedy suffices because
// equivalence is transitive on the answers we can read).
Equivalence compareAsSets(const std::vector<AnswerStructure>& gold,
                          const std::vector<AnswerStructure>& prediction, const char* rule,
                          const EquivalenceOptions& options) {
  if (gold.size() != prediction.size()) {
    return {false, rule, std::to_string(gold.size()) + " items vs " +
                             std::to_string(prediction.size())};
  }
  if (gold.size() > kMaxItemsMatched) return {false, rule, "too many items"};
  std::vector<bool> used(prediction.size(), false);
  for (std::size_t i = 0; i < gold.size(); ++i) {
    bool matched = false;
    for (std::size_t j = 0; j < prediction.size() && !matched; ++j) {
      if (used[j]) continue;
      if (compareStructures(gold[i], prediction[j], options).equal) matched = used[j] = true;
    }
    if (!matched) return {false, rule, "item " + std::to_string(i + 1) + " has no match"};
  }
  return {true, rule, ""};
}

bool hasInfinity(const AnswerStructure& s) {
  for (const auto& item : s.items) {
    if (item.text.find("\\infty") != std::string::npos) return true;
  }
  return false;
}

Equivalence compareStructures(const AnswerStructure& gold, const AnswerStructure& prediction,
                              const EquivalenceOptions& options) {
  using enum AnswerShape;
  if (gold.shape == kScalar && prediction.shape == kScalar) {
    return compareScalars(gold.text, prediction.text, options);
  }
  if (gold.shape == kEquation && prediction.shape == kEquation) {
    return compareEquations(gold.lhs, gold.rhs, prediction.lhs, prediction.rhs, options);
  }
  // "x = 5" against "5": the variable names the answer; an equation with no lone variable side
  // is not a value.
  if (gold.shape == kEquation || prediction.shape == kEquation) {
    const AnswerStructure& equation = gold.shape == kEquation ? gold : prediction;
    const AnswerStructure& other = gold.shape == kEquation ? prediction : gold;
    const std::string* value = nullptr;
    if (isSingleVariable(equation.lhs)) value = &equation.rhs;
    else if (isSingleVariable(equation.rhs)) value = &equation.lhs;
    if (value == nullptr) return {false, "shape", "an equation is not a value"};
    AnswerStructure side = parseAnswerStructure(*value, 1);
    return gold.shape == kEquation ? compareStructures(side, other, options)
                                   : compareStructures(other, side, options);
  }
  if (gold.shape == kOrdered && prediction.shape == kOrdered) {
    bool interval = gold.items.size() == 2 &&
                    (gold.open != '(' || gold.close != ')' || hasInfinity(gold));
    const char* rule = interval ? "interval" : "tuple";
    if (gold.open != prediction.open || gold.close != prediction.close) {
      return {false, rule,
              std::string("brackets differ: ") + gold.open + gold.close + " vs " +
                  prediction.open + prediction.close};
    }
    return compareInOrder(gold.items, prediction.items, rule, options);
  }
  if (gold.shape == kUnordered && prediction.shape == kUnordered) {
    return compareAsSets(gold.items, prediction.items, "set", options);
  }
  if (gold.shape == kUnion && prediction.shape == kUnion) {
    return compareAsSets(gold.items, prediction.items, "union", options);
  }
  if (gold.shape == kMatrix && prediction.shape == kMatrix) {
    if (gold.rows != prediction.rows || gold.columns != prediction.columns) {
      return {false, "matrix", "dimensions differ"};
    }
    return compareInOrder(gold.items, prediction.items, "matrix", options);
  }
  // A one-element set written as \{5\} against 5.
  if (gold.shape == kUnordered && gold.items.size() == 1 && prediction.shape == kScalar) {
    return compareStructures(gold.items[0], prediction, options);
  }
  if (prediction.shape == kUnordered && prediction.items.size() == 1 && gold.shape == kScalar) {
    return compareStructures(gold, prediction.items[0], options);
  }
  return {false, "shape",
          std::string("gold is a ") + shapeName(gold.shape) + ", prediction a " +
              shapeName(prediction.shape)};
}

}  // namespace

Equivalence compareAnswers(std::string_view gold, std::string_view prediction,
                           const EquivalenceOptions& options) {
  if (gold.size() > kMaxAnswerBytes || prediction.size() > kMaxAnswerBytes) {
    return {false, "too-long", "answer longer than " + std::to_string(kMaxAnswerBytes) + " bytes"};
  }
  if (gold == prediction && !gold.empty()) return {true, "exact", ""};
  std::string normalizedGold = normalizeAnswer(gold);
  std::string normalizedPrediction = normalizeAnswer(prediction);
  if (normalizedGold.empty() || normalizedPrediction.empty()) {
    return {false, "empty", normalizedGold.empty() ? "gold is empty" : "prediction is empty"};
  }
  if (normalizedGold == normalizedPrediction) return {true, "exact", ""};
  if (auto goldLetter = choiceLetter(normalizedGold, false)) {
    if (auto predictionLetter = choiceLetter(normalizedPrediction, true)) {
      bool equal = *goldLetter == *predictionLetter;
      return {equal, "choice", equal ? "" : std::string("chose ") + *predictionLetter};
    }
  }
  AnswerStructure goldStructure = parseAnswerStructure(normalizedGold);
  AnswerStructure predictionStructure = parseAnswerStructure(normalizedPrediction);
  return compareStructures(goldStructure, predictionStructure, options);
}

}  // namespace astro::math
