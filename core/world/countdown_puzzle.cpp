#include "core/world/countdown_puzzle.h"

#include <algorithm>

#include "core/base/error.h"

namespace astro::world {

namespace {

std::string joinNumbers(const std::vector<std::int64_t>& numbers) {
  std::string text;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(numbers[i]);
  }
  return text;
}

constexpr const char* kFractionsAllowed = "Fractions are allowed.";
constexpr const char* kNegativeAllowed = "Negative results are allowed.";
constexpr std::string_view kLongFormRules = ". Use + - * / on two numbers per step";

}  // namespace

std::string renderQuestion(const CountdownPuzzle& puzzle) {
  std::string text = "Using the numbers " + joinNumbers(puzzle.numbers) + ", reach " +
                     std::to_string(puzzle.target) + ".";
  if (puzzle.rules.allowNonInteger) text += std::string(" ") + kFractionsAllowed;
  if (puzzle.rules.allowNegative) text += std::string(" ") + kNegativeAllowed;
  text += " Give the final expression in \\boxed{}.";
  return text;
}

std::string canonicalKey(const CountdownPuzzle& puzzle) {
  std::vector<std::int64_t> sorted = puzzle.numbers;
  std::sort(sorted.begin(), sorted.end());
  std::string key = joinNumbers(sorted) + " -> " + std::to_string(puzzle.target);
  if (puzzle.rules.allowNonInteger) key += " fractions";
  if (puzzle.rules.allowNegative) key += " negatives";
  return key;
}

nlohmann::json puzzleToJson(const CountdownPuzzle& puzzle) {
  nlohmann::ordered_json rules = {{"allow_non_integer", puzzle.rules.allowNonInteger},
                                  {"allow_negative", puzzle.rules.allowNegative}};
  nlohmann::ordered_json json = {
      {"numbers", puzzle.numbers}, {"target", puzzle.target}, {"rules", rules}};
  return nlohmann::json(json);
}

std::optional<CountdownPuzzle> parseQuestion(std::string_view question) {
  constexpr std::string_view kOpening = "Using the numbers ";
  constexpr std::string_view kReach = ", reach ";
  if (!question.starts_with(kOpening)) return std::nullopt;
  std::size_t reach = question.find(kReach);
  std::size_t period = question.find('.', reach == std::string_view::npos ? 0 : reach);
  if (reach == std::string_view::npos || period == std::string_view::npos) return std::nullopt;
  auto readInteger = [](std::string_view text) -> std::optional<std::int64_t> {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  };
  CountdownPuzzle puzzle;
  std::string_view list = question.substr(kOpening.size(), reach - kOpening.size());
  while (!list.empty()) {
    std::size_t comma = list.find(", ");
    auto number = readInteger(list.substr(0, comma));
    if (!number) return std::nullopt;
    puzzle.numbers.push_back(*number);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 2);
  }
  std::size_t targetStart = reach + kReach.size();
  auto target = readInteger(question.substr(targetStart, period - targetStart));
  if (puzzle.numbers.empty() || !target) return std::nullopt;
  puzzle.target = *target;
  auto says = [&](std::string_view phrase) {
    return question.find(phrase) != std::string_view::npos;
  };
  if (says(kLongFormRules)) {
    // The long form spelled every rule out, in one of four sentences.
    puzzle.rules.allowNonInteger = !says("must be a whole number");
    puzzle.rules.allowNegative = !says("at least 0") && !says("no result may be negative");
  } else {
    puzzle.rules.allowNonInteger = says(kFractionsAllowed);
    puzzle.rules.allowNegative = says(kNegativeAllowed);
  }
  return puzzle;
}

CountdownPuzzle puzzleFromProblem(const math::Problem& problem) {
  const nlohmann::json& extra = problem.extra;
  std::string file = "problem " + (problem.id.empty() ? std::string("(no id)") : problem.id);
  if (!extra.is_object() || !extra.contains("numbers")) {
    if (auto parsed = parseQuestion(problem.question)) return *parsed;
  }
  if (!extra.is_object() || !extra.contains("numbers") || !extra["numbers"].is_array()) {
    throw ParseError(file, 0, "numbers", "countdown problem needs an array of numbers");
  }
  if (!extra.contains("target") || !extra["target"].is_number_integer()) {
    throw ParseError(file, 0, "target", "countdown problem needs an integer target");
  }
  CountdownPuzzle puzzle;
  for (const auto& number : extra["numbers"]) {
    if (!number.is_number_integer()) {
      throw ParseError(file, 0, "numbers", "not an integer: " + number.dump());
    }
    puzzle.numbers.push_back(number.get<std::int64_t>());
  }
  if (puzzle.numbers.empty()) throw ParseError(file, 0, "numbers", "empty");
  puzzle.target = extra["target"].get<std::int64_t>();
  if (extra.contains("rules")) {
    const auto& rules = extra["rules"];
    if (!rules.is_object()) throw ParseError(file, 0, "rules", "not an object");
    auto flag = [&](const char* name, bool fallback) {
      if (!rules.contains(name)) return fallback;
      if (!rules[name].is_boolean()) {
        throw ParseError(file, 0, std::string("rules.") + name, "not a boolean");
      }
      return rules[name].get<bool>();
    };
    puzzle.rules.allowNonInteger = flag("allow_non_integer", false);
    puzzle.rules.allowNegative = flag("allow_negative", false);
  }
  return puzzle;
}

math::Problem puzzleToProblem(const CountdownPuzzle& puzzle, std::string id) {
  math::Problem problem;
  problem.id = std::move(id);
  problem.question = renderQuestion(puzzle);
  problem.answer = std::to_string(puzzle.target);
  problem.subject = "countdown";
  problem.source = "countdown";
  problem.extra = puzzleToJson(puzzle);
  return problem;
}

}  // namespace astro::world
