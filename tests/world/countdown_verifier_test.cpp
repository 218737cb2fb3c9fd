// CountdownVerifier: the exact rule string for every way a boxed answer can be right or wrong.
#include "core/world/countdown_verifier.h"

#include <QtTest>

#include "core/base/error.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/step_checker.h"
#include "core/world/world_random.h"

using astro::world::CountdownPuzzle;
using astro::world::CountdownRules;

namespace {

astro::math::Problem problemOf(std::vector<std::int64_t> numbers, std::int64_t target,
                               CountdownRules rules = {}) {
  return astro::world::puzzleToProblem(CountdownPuzzle{std::move(numbers), target, rules}, "t");
}

std::string ruleFor(const astro::math::Problem& problem, std::string_view output) {
  return astro::world::CountdownVerifier().grade(problem, output).rule;
}

}  // namespace

class CountdownVerifierTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void grade_correctAnswer_saysCorrectAndWhereItIs() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    std::string output = "Step 1: 8 - 5 = 3. Remaining: 3, 7, 3\n\n\\boxed{(8-5)*7+3}";
    auto verdict = astro::world::CountdownVerifier().grade(problem, output);
    QVERIFY(verdict.correct);
    QVERIFY(verdict.answerFound);
    QCOMPARE(verdict.rule, std::string("correct"));
    QCOMPARE(verdict.extracted, std::string("(8-5)*7+3"));
    QCOMPARE(verdict.answerOffset, output.find("(8-5)"));
  }
  void grade_severalBoxes_gradesTheLast() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    QCOMPARE(ruleFor(problem, "\\boxed{3+8}\n\nWait.\n\n\\boxed{(8-5)*7+3}"),
             std::string("correct"));
    QCOMPARE(ruleFor(problem, "\\boxed{(8-5)*7+3}\n\nWait.\n\n\\boxed{3+8}"),
             std::string("wrong value 11 != 24"));
  }
  void grade_noBox_saysNoBoxedAnswer() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    auto verdict = astro::world::CountdownVerifier().grade(problem, "Step 1: 8 - 5 = 3.");
    QCOMPARE(verdict.rule, std::string("no boxed answer"));
    QVERIFY(!verdict.answerFound);
    QCOMPARE(ruleFor(problem, "\\boxed{(8-5)*7+3"), std::string("no boxed answer"));
  }
  void grade_bareExpression_isGraded() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    QCOMPARE(ruleFor(problem, " (8-5)*7+3\n"), std::string("correct"));
  }
  void grade_malformed_saysMalformed() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    for (const char* answer :
         {"\\boxed{}", "\\boxed{(8-5*7+3}", "\\boxed{8-5)*7+3}", "\\boxed{-3+27}", "\\boxed{8 5}",
          "\\boxed{2.5*8}", "\\boxed{(8-5)*7+3=24}", "\\boxed{24 ways}", "\\boxed{8^2}"}) {
      QCOMPARE(ruleFor(problem, answer), std::string("malformed"));
    }
  }
  void grade_reusedNumber_saysReuses() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    QCOMPARE(ruleFor(problem, "\\boxed{3*8+5-5}"), std::string("reuses 5"));
  }
  void grade_repeatedGivenNumber_mayBeUsedTwice() {
    auto problem = problemOf({5, 5, 7, 1}, 24);
    QCOMPARE(ruleFor(problem, "\\boxed{5*5-1}"), std::string("correct"));
    QCOMPARE(ruleFor(problem, "\\boxed{5*5-1+5-5}"), std::string("reuses 5"));
  }
  void grade_numberNotGiven_saysUsesNotGiven() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    QCOMPARE(ruleFor(problem, "\\boxed{3*8+9-9}"), std::string("uses 9 which is not given"));
  }
  void grade_divisionByZero_saysDivisionByZero() {
    auto problem = problemOf({3, 5, 5, 8}, 24);
    QCOMPARE(ruleFor(problem, "\\boxed{3/(5-5)+8}"), std::string("division by zero"));
  }
  void grade_nonIntegerIntermediate_rejectedUnlessAllowed() {
    auto strict = problemOf({7, 2, 2, 5}, 12);
    QCOMPARE(ruleFor(strict, "\\boxed{7/2*2+5}"), std::string("non-integer intermediate 7/2"));
    CountdownRules lenient;
    lenient.allowNonInteger = true;
    auto relaxed = problemOf({7, 2, 2, 5}, 12);
    relaxed.extra["rules"]["allow_non_integer"] = true;
    QCOMPARE(ruleFor(relaxed, "\\boxed{7/2*2+5}"), std::string("correct"));
    QCOMPARE(ruleFor(problemOf({7, 2, 2, 5}, 12, lenient), "\\boxed{7/2*2+5}"),
             std::string("correct"));
  }
  void grade_negativeIntermediate_rejectedUnlessAllowed() {
    CountdownRules negatives;
    negatives.allowNegative = true;
    QCOMPARE(ruleFor(problemOf({3, 5, 7, 2}, 3), "\\boxed{7+(3-5)*2}"),
             std::string("negative intermediate -2"));
    QCOMPARE(ruleFor(problemOf({3, 5, 7, 2}, 3, negatives), "\\boxed{7+(3-5)*2}"),
             std::string("correct"));
  }
  void grade_wrongValue_saysBothValues() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    QCOMPARE(ruleFor(problem, "\\boxed{8*3-7+5}"), std::string("wrong value 22 != 24"));
    CountdownRules fractions;
    fractions.allowNonInteger = true;
    QCOMPARE(ruleFor(problemOf({3, 5, 7, 8}, 24, fractions), "\\boxed{7/8}"),
             std::string("wrong value 7/8 != 24"));
  }
  void grade_latexOperators_areAccepted() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    QCOMPARE(ruleFor(problem, "\\boxed{(8-5) \\times 7 + 3}"), std::string("correct"));
    QCOMPARE(ruleFor(problem, "\\boxed{(8-5) \\cdot 7 + 3}"), std::string("correct"));
    QCOMPARE(ruleFor(problem, "\\boxed{8 \\div (5-3) \\times 7 - 4}"),
             std::string("uses 4 which is not given"));
  }
  void grade_hugeLiteral_isMalformedNotOverflow() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    QCOMPARE(ruleFor(problem, "\\boxed{99999999999999999999999}"), std::string("malformed"));
  }
  void grade_deepNesting_isMalformedWithoutCrashing() {
    auto problem = problemOf({3, 5, 7, 8}, 24);
    std::string deep = "\\boxed{" + std::string(5000, '(') + "3" + std::string(5000, ')') + "}";
    QCOMPARE(ruleFor(problem, deep), std::string("malformed"));
  }
  void grade_problemWithQuestionOnly_readsPuzzleFromQuestion() {
    for (CountdownRules rules : {CountdownRules{false, false}, CountdownRules{true, false},
                                 CountdownRules{false, true}, CountdownRules{true, true}}) {
      CountdownPuzzle puzzle{{12, 3, 7}, 29, rules};
      astro::math::Problem problem;  // what a loader keeping only problem/answer yields
      problem.question = astro::world::renderQuestion(puzzle);
      problem.answer = "29";
      auto parsed = astro::world::puzzleFromProblem(problem);
      QCOMPARE(parsed.numbers, puzzle.numbers);
      QCOMPARE(parsed.target, std::int64_t(29));
      QVERIFY(parsed.rules == rules);
      QCOMPARE(ruleFor(problem, "\\boxed{12*3-7}"), std::string("correct"));
      QCOMPARE(ruleFor(problem, "\\boxed{7*3+12}"), std::string("wrong value 33 != 29"));
    }
  }
  void parseQuestion_readsTheEarlierLongFormRules() {
    // Datasets written before the compact question spelled the rules out in one of four forms.
    const std::string opening =
        "Using the numbers 12, 3, 7, reach 29. Use + - * / on two numbers "
        "per step, each number at most once";
    const std::string closing = ". Give the final expression in \\boxed{}.";
    const std::pair<std::string, CountdownRules> forms[] = {
        {"; every result must be a whole number of at least 0", {false, false}},
        {"; every result must be a whole number", {false, true}},
        {"; no result may be negative", {true, false}},
        {"", {true, true}}};
    for (const auto& [rule, rules] : forms) {
      auto parsed = astro::world::parseQuestion(opening + rule + closing);
      QVERIFY2(parsed, rule.c_str());
      QCOMPARE(parsed->numbers, (std::vector<std::int64_t>{12, 3, 7}));
      QCOMPARE(parsed->target, std::int64_t(29));
      QVERIFY2(parsed->rules == rules, rule.c_str());
    }
    QCOMPARE(astro::world::renderQuestion({{12, 3, 7}, 29, {}}),
             std::string("Using the numbers 12, 3, 7, reach 29. Give the final expression in "
                         "\\boxed{}."));
  }
  void grade_mutatedOutputs_alwaysGiveADocumentedRule() {
    // Property test: random edits of a correct output never crash the parser and every verdict
    // carries one of the documented rules.
    auto problem = problemOf({3, 5, 7, 8}, 24);
    astro::world::StepChecker checker(astro::world::CountdownPuzzle{{3, 5, 7, 8}, 24, {}});
    const std::string seed = "Step 1: 8 - 5 = 3. Remaining: 3, 7, 3\n\n\\boxed{(8-5)*7+3}";
    const std::string alphabet = "0123456789+-*/() {}\\boxed.=:,Stepx\n";
    astro::world::WorldRandom random(17);
    for (int round = 0; round < 3000; ++round) {
      std::string text = seed;
      for (int edits = 1 + random.below(4); edits > 0; --edits) {
        std::size_t at = random.below(text.size() + 1);
        char c = alphabet[random.below(alphabet.size())];
        switch (random.below(3)) {
          case 0:
            text.insert(at, 1, c);
            break;
          case 1:
            if (at < text.size()) text.erase(at, 1);
            break;
          default:
            if (at < text.size()) text[at] = c;
            break;
        }
      }
      std::string rule = ruleFor(problem, text);
      bool known = rule == "correct" || rule == "no boxed answer" || rule == "malformed" ||
                   rule == "division by zero" || rule.starts_with("uses ") ||
                   rule.starts_with("reuses ") || rule.starts_with("non-integer intermediate ") ||
                   rule.starts_with("negative intermediate ") || rule.starts_with("wrong value ");
      QVERIFY2(known, (text + " -> " + rule).c_str());
      auto check = checker.check(astro::world::initialState(checker.puzzle()),
                                 text.substr(0, text.find("\n\n")));
      QVERIFY(!check.rule.empty());
    }
  }
  void grade_problemWithoutNumbers_throwsParseError() {
    astro::math::Problem problem;
    problem.id = "gsm8k:7";
    QVERIFY_THROWS_EXCEPTION(astro::ParseError,
                             astro::world::CountdownVerifier().grade(problem, "\\boxed{1}"));
  }
};

QTEST_APPLESS_MAIN(CountdownVerifierTest)
#include "countdown_verifier_test.moc"
