#include "core/world/countdown_step.h"

#include <algorithm>
#include <set>
#include <utility>

namespace astro::world {

namespace {

// Splits on spaces and tabs; the step grammar separates every token by whitespace so that a
// fraction "7/2" and a division "7 / 2" never look alike.
std::vector<std::string_view> splitWords(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::string_view trimmed(std::string_view text) {
  auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

CountdownState initialState(const CountdownPuzzle& puzzle) {
  CountdownState state;
  for (std::int64_t number : puzzle.numbers) state.remaining.emplace_back(number);
  return state;
}

std::string renderStep(int index, const CountdownStep& step) {
  std::string text = "Step " + std::to_string(index) + ": " + step.left.toString() + " " +
                     operatorSymbol(step.op) + " " + step.right.toString() + " = " +
                     step.result.toString() + ". Remaining: ";
  for (std::size_t i = 0; i < step.remaining.size(); ++i) {
    if (i > 0) text += ", ";
    text += step.remaining[i].toString();
  }
  return text;
}

StepApplication applyStep(const CountdownState& state, const Rational& left, Operator op,
                          const Rational& right, const CountdownRules& rules) {
  std::vector<Rational> rest = state.remaining;
  for (const Rational& operand : {left, right}) {
    auto found = std::find(rest.begin(), rest.end(), operand);
    if (found == rest.end()) {
      bool wasThere = std::find(state.remaining.begin(), state.remaining.end(), operand) !=
                      state.remaining.end();
      return {std::nullopt,
              wasThere ? "reuses " + operand.toString()
                       : "uses " + operand.toString() + " which is not remaining",
              operand};
    }
    rest.erase(found);
  }
  OperationOutcome outcome = applyOperator(left, op, right, rules);
  if (!outcome.value) return {std::nullopt, outcome.violation};
  rest.push_back(*outcome.value);
  return {CountdownStep{left, op, right, *outcome.value, std::move(rest)}, {}};
}

std::vector<CountdownStep> legalSteps(const CountdownState& state, const CountdownRules& rules) {
  std::vector<CountdownStep> steps;
  std::set<std::pair<Rational, Rational>> seenPairs;
  const auto& values = state.remaining;
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = i + 1; j < values.size(); ++j) {
      Rational larger = std::max(values[i], values[j]);
      Rational smaller = std::min(values[i], values[j]);
      if (!seenPairs.insert({smaller, larger}).second) continue;
      auto tryStep = [&](const Rational& left, Operator op, const Rational& right) {
        StepApplication applied = applyStep(state, left, op, right, rules);
        if (applied.step) steps.push_back(std::move(*applied.step));
      };
      tryStep(larger, Operator::kAdd, smaller);
      tryStep(larger, Operator::kSubtract, smaller);
      tryStep(larger, Operator::kMultiply, smaller);
      tryStep(larger, Operator::kDivide, smaller);
      if (larger != smaller) {
        tryStep(smaller, Operator::kSubtract, larger);
        tryStep(smaller, Operator::kDivide, larger);
      }
    }
  }
  return steps;
}

std::optional<ParsedStep> parseStep(std::string_view text) {
  text = trimmed(text);
  if (text.ends_with('.')) text.remove_suffix(1);
  // "Step 1: 8 - 3 = 5. Remaining: 5, 5, 7"
  std::size_t marker = text.find(". Remaining:");
  if (marker == std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> head = splitWords(text.substr(0, marker));
  std::string_view tail = text.substr(marker + std::string_view(". Remaining:").size());
  if (head.size() != 7 || head[0] != "Step" || !head[1].ends_with(':') || head[5] != "=") {
    return std::nullopt;
  }
  ParsedStep parsed;
  std::string_view indexText = head[1].substr(0, head[1].size() - 1);
  auto index = parseRational(indexText);
  if (!index || !index->isInteger() || index->num() < 1 || index->num() > 1000) {
    return std::nullopt;
  }
  parsed.index = static_cast<int>(index->num());
  auto left = parseRational(head[2]);
  auto right = parseRational(head[4]);
  auto result = parseRational(head[6]);
  auto op = head[3].size() == 1 ? operatorFromSymbol(head[3][0]) : std::nullopt;
  if (!left || !right || !result || !op) return std::nullopt;
  parsed.left = *left;
  parsed.op = *op;
  parsed.right = *right;
  parsed.claimedResult = *result;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = tail.find(',', start);
    std::string_view item = trimmed(tail.substr(start, comma - start));
    auto value = parseRational(item);
    if (!value) return std::nullopt;
    parsed.claimedRemaining.push_back(*value);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return parsed;
}

}  // namespace astro::world
