#include "core/world/countdown_verifier.h"

#include "core/world/countdown_expression.h"
#include "core/world/countdown_puzzle.h"

namespace astro::world {

namespace {

// A bare answer is graded only when the whole output could be nothing but an expression, so a
// chain of thought that forgot its \boxed{} is not mistaken for one.
bool looksLikeBareExpression(std::string_view output) {
  bool hasDigit = false;
  for (char c : output) {
    if (c >= '0' && c <= '9') {
      hasDigit = true;
    } else if (std::string_view("+-*/() \t\r\n").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return hasDigit;
}

}  // namespace

std::optional<BoxedAnswer> lastBoxed(std::string_view output) {
  constexpr std::string_view kOpen = "\\boxed{";
  std::size_t start = output.rfind(kOpen);
  while (start != std::string_view::npos) {
    std::size_t contentStart = start + kOpen.size();
    int depth = 1;
    for (std::size_t i = contentStart; i < output.size(); ++i) {
      if (output[i] == '{') ++depth;
      if (output[i] == '}' && --depth == 0) {
        return BoxedAnswer{output.substr(contentStart, i - contentStart), contentStart};
      }
    }
    // An unclosed last box (a truncated output): fall back to an earlier complete one.
    if (start == 0) break;
    start = output.rfind(kOpen, start - 1);
  }
  return std::nullopt;
}

math::Verdict CountdownVerifier::grade(const math::Problem& problem,
                                       std::string_view output) const {
  CountdownPuzzle puzzle = puzzleFromProblem(problem);
  math::Verdict verdict;
  std::string_view answer;
  if (auto boxed = lastBoxed(output)) {
    answer = boxed->content;
    verdict.answerOffset = boxed->offset;
  } else if (looksLikeBareExpression(output)) {
    answer = output;
  } else {
    verdict.rule = "no boxed answer";
    return verdict;
  }
  verdict.answerFound = true;
  verdict.extracted = std::string(answer);

  auto expression = parseExpression(answer);
  if (!expression) {
    verdict.rule = "malformed";
    return verdict;
  }
  if (std::string misuse = checkNumberUse(*expression, puzzle.numbers); !misuse.empty()) {
    verdict.rule = misuse;
    return verdict;
  }
  ExpressionValue value = evaluateExpression(*expression, puzzle.rules);
  if (!value.value) {
    verdict.rule = value.violation;
    return verdict;
  }
  if (*value.value != Rational(puzzle.target)) {
    verdict.rule =
        "wrong value " + value.value->toString() + " != " + std::to_string(puzzle.target);
    return verdict;
  }
  verdict.correct = true;
  verdict.rule = "correct";
  return verdict;
}

}  // namespace astro::world
