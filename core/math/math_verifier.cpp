// MathVerifier: extraction, then equivalence; a missing answer is a wrong answer.
#include "core/math/math_verifier.h"

#include "core/math/answer_extraction.h"

namespace astro::math {

Verdict MathVerifier::grade(std::string_view gold, std::string_view output) const {
  Verdict verdict;
  auto extraction = extractAnswer(output);
  if (!extraction) {
    verdict.rule = "no-answer";
    return verdict;
  }
  verdict.answerFound = true;
  verdict.extracted = extraction->text;
  verdict.answerOffset = extraction->offset;
  Equivalence equivalence = compareAnswers(gold, extraction->text, options_);
  verdict.correct = equivalence.equal;
  verdict.rule = equivalence.rule;
  return verdict;
}

Verdict MathVerifier::grade(const Problem& problem, std::string_view output) const {
  return grade(std::string_view(problem.answer), output);
}

Verdict gradeAnswer(std::string_view gold, std::string_view output) {
  static const MathVerifier verifier;
  return verifier.grade(gold, output);
}

}  // namespace astro::math
