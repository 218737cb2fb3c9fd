// What a grounded reflection states about a countdown step (core/world/reflection_check.h): the
// verifier's and the step checker's verdicts in words, one text per case, all plain ASCII.
#include "core/world/reflection_check.h"

#include <QtTest>

using astro::world::CountdownPuzzle;
using astro::world::CountdownState;
using astro::world::StepChecker;

namespace {

CountdownPuzzle puzzle3578() { return CountdownPuzzle{{3, 5, 7, 8}, 24, {}}; }

std::string answerCheck(std::string_view block) {
  return astro::world::describeAnswer(puzzle3578(), block).value_or("(none)");
}

// The check of `block` written first, or after "8 - 5 = 3" when `afterFirstStep`.
std::string stepCheck(std::string_view block, bool afterFirstStep = false) {
  const StepChecker checker(puzzle3578());
  CountdownState state = astro::world::initialState(checker.puzzle());
  if (afterFirstStep) state = checker.check(state, "Step 1: 8 - 5 = 3. Remaining: 3, 3, 7").next;
  return astro::world::describeStep(checker, state, block).value_or("(none)");
}

}  // namespace

class ReflectionCheckTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void answer_rightStatesTheTarget() {
    QCOMPARE(answerCheck("\\boxed{8*3}"), std::string("8*3 = 24."));
  }
  void answer_wrongValueStatesValueAndTarget() {
    QCOMPARE(answerCheck("\\boxed{ (8 - 5)\n* 7 }"), std::string("(8 - 5) * 7 = 21, not 24."));
  }
  void answer_numberMisuseInTheVerifiersWords() {
    QCOMPARE(answerCheck("\\boxed{8*3*3}"), std::string("8*3*3 reuses 3."));
    QCOMPARE(answerCheck("\\boxed{9*3}"), std::string("9*3 uses 9 which is not given."));
  }
  void answer_brokenRuleIsNamed() {
    QCOMPARE(answerCheck("\\boxed{7/(8-5-3)}"), std::string("7/(8-5-3): division by zero."));
    QCOMPARE(answerCheck("\\boxed{3-5}"), std::string("3-5: negative intermediate -2."));
  }
  void answer_malformedOrMissingBox() {
    QCOMPARE(answerCheck("\\boxed{8+}"), std::string("That is not a valid expression."));
    QCOMPARE(answerCheck("no box here"), std::string("(none)"));
  }
  void step_validStatesTheArithmetic() {
    QCOMPARE(stepCheck("Step 1: 8 - 5 = 3. Remaining: 3, 3, 7"), std::string("8 - 5 = 3."));
    QCOMPARE(stepCheck("Step 2: 3 * 7 = 21. Remaining: 3, 21", true), std::string("3 * 7 = 21."));
  }
  void step_wrongArithmeticStatesTheRightResult() {
    QCOMPARE(stepCheck("Step 1: 8 - 5 = 4. Remaining: 3, 4, 7"), std::string("8 - 5 = 3, not 4."));
  }
  void step_numberNotLeft() {
    QCOMPARE(stepCheck("Step 1: 9 - 7 = 2. Remaining: 2, 3, 5, 8"), std::string("9 is not left."));
    // 8 was given but the first step used it.
    QCOMPARE(stepCheck("Step 2: 8 * 3 = 24. Remaining: 3, 7, 24", true),
             std::string("8 is not left."));
  }
  void step_brokenRuleAndWrongRemaining() {
    QCOMPARE(stepCheck("Step 1: 7 / 3 = 2. Remaining: 2, 5, 8"),
             std::string("7 / 3: non-integer intermediate 7/3."));
    QCOMPARE(stepCheck("Step 1: 8 - 5 = 3. Remaining: 3, 7"),
             std::string("Left: 3, 7, 3, not 3, 7."));
  }
  void step_answerBlockIsGradedAndMalformedGivesNothing() {
    QCOMPARE(stepCheck("\\boxed{8*3}"), std::string("8*3 = 24."));
    QCOMPARE(stepCheck("Let us think."), std::string("(none)"));
  }
  void checks_arePrintableAsciiOnOneLine() {
    // The world tokenizer is byte-level (any byte encodes), but the checks keep to the printable
    // ASCII its merges and number tokens were built from.
    for (const std::string& text :
         {answerCheck("\\boxed{ (8 - 5)\n* 7 }"), answerCheck("\\boxed{9*3}"),
          stepCheck("Step 1: 7 / 3 = 2. Remaining: 2, 5, 8"),
          stepCheck("Step 1: 8 - 5 = 3. Remaining: 3, 7")}) {
      for (char c : text) QVERIFY2(c >= 0x20 && c <= 0x7e, text.c_str());
    }
  }
};

QTEST_APPLESS_MAIN(ReflectionCheckTest)
#include "reflection_check_test.moc"
