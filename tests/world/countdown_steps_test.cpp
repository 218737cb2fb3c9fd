// Steps, the step checker, the solver and reference solutions of the countdown world.
#include <QtTest>

#include "core/world/countdown_solver.h"
#include "core/world/countdown_verifier.h"
#include "core/world/rational.h"
#include "core/world/reference_solution.h"
#include "core/world/step_checker.h"
#include "core/world/world_statistics.h"

using astro::world::CountdownPuzzle;
using astro::world::CountdownSolver;
using astro::world::CountdownState;
using astro::world::Operator;
using astro::world::Rational;
using astro::world::StepChecker;
using astro::world::StepKind;

namespace {

CountdownPuzzle puzzle3578() { return CountdownPuzzle{{3, 5, 7, 8}, 24, {}}; }

}  // namespace

class CountdownStepsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void rational_keepsLowestTermsAndPrintsFractions() {
    QCOMPARE(Rational::fraction(14, -4).toString(), std::string("-7/2"));
    QCOMPARE(Rational(7).dividedBy(Rational(2))->times(Rational(2))->toString(), std::string("7"));
    QCOMPARE(astro::world::parseRational("7/2")->toString(), std::string("7/2"));
    QVERIFY(!astro::world::parseRational("7/0"));
    QVERIFY(!astro::world::parseRational("7.5"));
    QVERIFY(!Rational(INT64_MAX).plus(Rational(1)));  // overflow is reported, not wrapped
  }
  void renderStep_writesTheDocumentedForm() {
    auto applied = astro::world::applyStep(astro::world::initialState(puzzle3578()), 8,
                                           Operator::kSubtract, 3, {});
    QVERIFY(applied.step);
    QCOMPARE(astro::world::renderStep(1, *applied.step),
             std::string("Step 1: 8 - 3 = 5. Remaining: 5, 7, 5"));
  }
  void parseStep_readsWhatRenderStepWrites() {
    auto parsed = astro::world::parseStep("Step 12: 7/2 * 4 = 14. Remaining: 14, 1/3.");
    QVERIFY(parsed);
    QCOMPARE(parsed->index, 12);
    QCOMPARE(parsed->left, Rational::fraction(7, 2));
    QCOMPARE(parsed->op, Operator::kMultiply);
    QCOMPARE(parsed->claimedResult, Rational(14));
    QCOMPARE(parsed->claimedRemaining.size(), std::size_t(2));
    QVERIFY(!astro::world::parseStep("Step 1: 8-3 = 5. Remaining: 5, 5, 7"));
    QVERIFY(!astro::world::parseStep("Step 1: 8 - 3 = 5"));
  }
  void stepChecker_acceptsValidStepAndCarriesState() {
    StepChecker checker(puzzle3578());
    auto state = astro::world::initialState(puzzle3578());
    auto check = checker.check(state, "Step 1: 8 - 5 = 3. Remaining: 3, 7, 3");
    QCOMPARE(check.kind, StepKind::kOperation);
    QVERIFY(check.valid);
    QCOMPARE(check.rule, std::string("valid"));
    QVERIFY(!check.reachesTarget);
    check = checker.check(check.next, "Step 2: 3 * 7 = 21. Remaining: 3, 21");
    QVERIFY(check.valid);
    check = checker.check(check.next, "Step 3: 21 + 3 = 24. Remaining: 24");
    QVERIFY(check.valid);
    QVERIFY(check.reachesTarget);
    check = checker.check(check.next, "\\boxed{(8-5)*7+3}");
    QCOMPARE(check.kind, StepKind::kAnswer);
    QVERIFY(check.valid);
    QCOMPARE(check.rule, std::string("correct"));
  }
  void stepChecker_rejectsInvalidStepsWithTheirRule() {
    StepChecker checker(puzzle3578());
    auto state = astro::world::initialState(puzzle3578());
    auto ruleOf = [&](const char* text) { return checker.check(state, text).rule; };
    QCOMPARE(ruleOf("Step 1: 8 - 3 = 4. Remaining: 4, 5, 7"),
             std::string("wrong result 8 - 3 = 4 (is 5)"));
    QCOMPARE(ruleOf("Step 1: 8 - 3 = 5. Remaining: 5, 7"),
             std::string("wrong remaining 5, 7 (is 5, 7, 5)"));
    QCOMPARE(ruleOf("Step 1: 9 - 3 = 6. Remaining: 5, 7, 8, 6"),
             std::string("uses 9 which is not remaining"));
    QCOMPARE(ruleOf("Step 1: 5 * 5 = 25. Remaining: 3, 7, 8, 25"), std::string("reuses 5"));
    QCOMPARE(ruleOf("Step 1: 7 / 3 = 7/3. Remaining: 5, 8, 7/3"),
             std::string("non-integer intermediate 7/3"));
    QCOMPARE(ruleOf("Step 1: 3 - 8 = -5. Remaining: 5, 7, -5"),
             std::string("negative intermediate -5"));
    QCOMPARE(ruleOf("I think we should multiply."), std::string("malformed step"));
    QCOMPARE(checker.check(state, "nonsense").kind, StepKind::kMalformed);
    QVERIFY(!checker.check(state, "Step 1: 8 - 3 = 4. Remaining: 4, 5, 7").valid);
  }
  void stepChecker_divisionByZero_isRejected() {
    CountdownPuzzle puzzle{{4, 4, 6}, 10, {}};
    StepChecker checker(puzzle);
    auto first =
        checker.check(astro::world::initialState(puzzle), "Step 1: 4 - 4 = 0. Remaining: 6, 0");
    QVERIFY(first.valid);
    QCOMPARE(checker.check(first.next, "Step 2: 6 / 0 = 0. Remaining: 0").rule,
             std::string("division by zero"));
  }
  void legalSteps_listEachDistinctOperationOnce() {
    CountdownState state{{Rational(6), Rational(6), Rational(2)}};
    auto steps = astro::world::legalSteps(state, {});
    // (6,6): + - * / ; (6,2): + - * / (2-6 and 2/6 break the rules); the second (6,2) is a repeat.
    QCOMPARE(steps.size(), std::size_t(8));
    QCOMPARE(astro::world::renderStep(1, steps[1]),
             std::string("Step 1: 6 - 6 = 0. Remaining: 2, 0"));
  }
  void solver_countsSolutionPaths() {
    CountdownSolver solver(CountdownPuzzle{{2, 3, 4}, 20, {}});
    // (3+2)*4 is the only way: 3+2=5, then 5*4=20.
    QCOMPARE(solver.countSolutions(), std::uint64_t(1));
    QCOMPARE(*solver.fewestSteps(), 2);
    auto solution = solver.firstSolution();
    QVERIFY(solution);
    QCOMPARE(astro::world::expressionForSteps(solver.puzzle(), *solution), std::string("(3+2)*4"));
    QVERIFY(!CountdownSolver(CountdownPuzzle{{1, 1, 1}, 50, {}}).solvable());
  }
  void solver_firstStepSolvableFraction_isTheShareOfGoodFirstSteps() {
    CountdownSolver solver(CountdownPuzzle{{2, 3, 4}, 20, {}});
    // First steps: (3,2): + - * ; (4,2): + - * / ; (4,3): + - * = 10 steps, only 3+2 is good.
    QCOMPARE(solver.firstStepSolvableFraction(), 0.1);
  }
  void referenceSolution_everySolutionOfAPuzzlePassesTheVerifier() {
    CountdownPuzzle puzzle = puzzle3578();
    CountdownSolver solver(puzzle);
    auto problem = astro::world::puzzleToProblem(puzzle, "p");
    auto solutions = solver.allSolutions(1000);
    QCOMPARE(solutions.size(), std::size_t(solver.countSolutions()));
    QVERIFY(solutions.size() > 10);
    for (const auto& steps : solutions) {
      std::string text = astro::world::renderSolution(puzzle, steps);
      auto verdict = astro::world::CountdownVerifier().grade(problem, text);
      QVERIFY2(verdict.correct, (text + " -> " + verdict.rule).c_str());
    }
  }
  void referenceSolution_rendersBlankLineSeparatedStepsAndBox() {
    CountdownPuzzle puzzle{{2, 3, 4}, 20, {}};
    auto steps = *CountdownSolver(puzzle).firstSolution();
    QCOMPARE(astro::world::renderSolution(puzzle, steps),
             std::string("Step 1: 3 + 2 = 5. Remaining: 4, 5\n\n"
                         "Step 2: 5 * 4 = 20. Remaining: 20\n\n"
                         "\\boxed{(3+2)*4}"));
  }
  void expressionForSteps_keepsMeaningOfRightOperands() {
    CountdownPuzzle puzzle{{9, 6, 2, 8}, 1, {}};
    auto state = astro::world::initialState(puzzle);
    auto first = astro::world::applyStep(state, 6, Operator::kSubtract, 2, {}).step;
    auto second = astro::world::applyStep({first->remaining}, 9, Operator::kSubtract, 4, {}).step;
    auto third = astro::world::applyStep({second->remaining}, 8, Operator::kDivide, 5, {});
    QVERIFY(!third.step);  // 8/5 is not whole
    QCOMPARE(astro::world::expressionForSteps(puzzle, {*first, *second}), std::string("9-(6-2)"));
  }
  void randomPlay_passRateIsDeterministicPerSeed() {
    astro::world::WorldRandom first(5);
    astro::world::WorldRandom second(5);
    double a = astro::world::randomPlayPassRate(puzzle3578(), 300, first);
    double b = astro::world::randomPlayPassRate(puzzle3578(), 300, second);
    QCOMPARE(a, b);
    QVERIFY(a > 0.0 && a < 0.5);
  }
};

QTEST_APPLESS_MAIN(CountdownStepsTest)
#include "countdown_steps_test.moc"
