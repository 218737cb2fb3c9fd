// Which returns abandon a wrong branch (a wrongly graded \boxed{} answer or, with the domain's
// step validator, an invalid step), and the per-answer counts behind the behaviour metrics.
// Traces are countdown solutions for 8, 3, 5, 7 -> 18 written paragraph by paragraph, with the
// step graph given directly (what a detector would find), so only the judgement is under test.
#include "core/analysis/backtrack_behaviour.h"

#include <QtTest>
#include <cmath>

#include "core/analysis/exact_detector.h"
#include "core/domain/countdown_phrases.h"
#include "core/domain/countdown_step_validator.h"
#include "core/math/math_verifier.h"
#include "core/search/linearize.h"
#include "core/search/render_trace.h"
#include "core/world/countdown_generator.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_step.h"
#include "core/world/countdown_verifier.h"
#include "core/world/reference_solution.h"
#include "tests/analysis/countdown_trace_fixture.h"

using astro::analysis::BacktrackBehaviour;
using astro::analysis::judgeReturns;
using astro::analysis::ReturnJudgement;
using astro::analysis::StepGraph;
using astro::analysis::StepRole;
using astro::world::Operator;
using astro::test::back;
using astro::test::kPuzzle;
using astro::test::restart;
using astro::test::step;
using astro::test::Trace;
using astro::test::traceOf;

namespace {

// The steps of both branches after "Step 1: 8 - 3 = 5".
struct Steps {
  std::string first, wrongSecond, wrongThird, wrongAnswer, second, third, answer, miscounted;
};

Steps countdownSteps() {
  Steps s;
  auto start = astro::world::initialState(kPuzzle);
  s.first = step(start, 1, 8, Operator::kSubtract, 3);
  auto wrong = start;
  s.wrongSecond = step(wrong, 2, 5, Operator::kAdd, 5);
  s.wrongThird = step(wrong, 3, 10, Operator::kAdd, 7);
  s.wrongAnswer = "\\boxed{8-3+5+7}";  // 17
  auto right = start;
  s.second = step(right, 2, 5, Operator::kMultiply, 5);
  s.third = step(right, 3, 25, Operator::kSubtract, 7);
  s.answer = "\\boxed{(8-3)*5-7}";
  s.miscounted = s.wrongSecond;  // "5 + 5 = 10" written as "5 + 5 = 11"
  s.miscounted.replace(s.miscounted.find("= 10"), 4, "= 11");
  return s;
}

ReturnJudgement judge(const Trace& trace, bool withValidator) {
  static const astro::world::CountdownVerifier verifier;
  static const astro::domain::CountdownStepValidator validator;
  return judgeReturns(trace.graph, trace.text, astro::world::puzzleToProblem(kPuzzle, "p"),
                      verifier, withValidator ? &validator : nullptr);
}

using Indices = std::vector<int>;

// Every legal two-step path of a three-number puzzle, each ending in its boxed expression graded
// by the verifier: the tree ASTRO's linearization draws correct and wrong terminals from.
astro::search::SearchTree fullTree(const astro::world::CountdownPuzzle& puzzle,
                                   const astro::math::Problem& problem) {
  astro::search::SearchTree tree(problem.question, problem.answer);
  const astro::world::CountdownVerifier verifier;
  const auto start = astro::world::initialState(puzzle);
  for (const auto& first : astro::world::legalSteps(start, puzzle.rules)) {
    const int a = tree.addChild(0, astro::world::renderStep(1, first));
    for (const auto& second : astro::world::legalSteps({first.remaining}, puzzle.rules)) {
      const int b = tree.addChild(a, astro::world::renderStep(2, second));
      const std::string boxed =
          "\\boxed{" + astro::world::expressionForSteps(puzzle, {first, second}) + "}";
      auto& terminal = tree.node(tree.addChild(b, boxed));
      terminal.terminal = true;
      terminal.correct = verifier.grade(problem, boxed).correct;
      terminal.answer = second.result.toString();
      terminal.visits = 1;
      terminal.value = *terminal.correct ? 1.0 : 0.0;
    }
  }
  return tree;
}

}  // namespace

class BacktrackBehaviourTest : public QObject {
  Q_OBJECT
 private:
  Steps s_ = countdownSteps();

 private Q_SLOTS:
  void steps_areWhatTheTestsAssume() {
    QCOMPARE(s_.first, std::string("Step 1: 8 - 3 = 5. Remaining: 5, 7, 5"));
    QCOMPARE(s_.miscounted, std::string("Step 2: 5 + 5 = 11. Remaining: 7, 10"));
  }
  void judgeReturns_backtrackAfterWrongAnswer_followsWrongBranch() {
    auto trace = traceOf({{s_.first},
                          {s_.wrongSecond},
                          {s_.wrongThird},
                          {s_.wrongAnswer},
                          back(0),
                          {s_.second},
                          {s_.third},
                          {s_.answer}});
    auto judged = judge(trace, false);
    QCOMPARE(judged.returns, Indices({4}));
    QCOMPARE(judged.afterWrongBranch, Indices({4}));
  }
  void judgeReturns_backtrackFromValidUnfinishedBranch_isNotAfterWrongBranch() {
    auto trace =
        traceOf({{s_.first}, {s_.wrongSecond}, back(0), {s_.second}, {s_.third}, {s_.answer}});
    QCOMPARE(judge(trace, true).returns, Indices({2}));
    QCOMPARE(judge(trace, true).afterWrongBranch, Indices());
  }
  void judgeReturns_backtrackAfterCorrectAnswer_isNotAfterWrongBranch() {
    auto trace = traceOf({{s_.first},
                          {s_.second},
                          {s_.third},
                          {s_.answer},
                          back(0),
                          {s_.wrongSecond},
                          {s_.wrongThird},
                          {s_.wrongAnswer}});
    QCOMPARE(judge(trace, true).afterWrongBranch, Indices());
  }
  void judgeReturns_invalidStep_isWrongBranchOnlyWithStepValidator() {
    auto trace =
        traceOf({{s_.first}, {s_.miscounted}, back(0), {s_.second}, {s_.third}, {s_.answer}});
    QCOMPARE(judge(trace, false).afterWrongBranch, Indices());
    QCOMPARE(judge(trace, true).afterWrongBranch, Indices({2}));
  }
  // A wrong first step: a restart abandons it, a backtrack to it abandons only what follows.
  void judgeReturns_restartAbandonsWholePath_backtrackOnlyStepsAfterItsTarget() {
    std::string wrongFirst = s_.first;
    wrongFirst.replace(wrongFirst.find("= 5."), 4, "= 6.");
    auto restarted = traceOf({{wrongFirst}, {s_.second}, restart(), {s_.first}});
    QCOMPARE(judge(restarted, true).afterWrongBranch, Indices({2}));
    auto backtracked = traceOf({{wrongFirst}, {s_.second}, back(0), {s_.wrongSecond}});
    QCOMPARE(judge(backtracked, true).afterWrongBranch, Indices());
  }
  // The second return's branch is only the step written after the first return.
  void judgeReturns_laterReturnJudgesOnlyItsOwnBranch() {
    auto trace = traceOf({{s_.first},
                          {s_.wrongSecond},
                          {s_.wrongThird},
                          {s_.wrongAnswer},
                          back(0),
                          {s_.second},
                          back(0),
                          {s_.second},
                          {s_.third},
                          {s_.answer}});
    auto judged = judge(trace, true);
    QCOMPARE(judged.returns, Indices({4, 6}));
    QCOMPARE(judged.afterWrongBranch, Indices({4}));
  }
  // No target: the branch is what was written since the previous return (or the start).
  void judgeReturns_unresolvedBacktrack_judgesStepsSincePreviousReturn() {
    auto trace = traceOf({{s_.first},
                          {s_.wrongSecond},
                          {s_.wrongThird},
                          {s_.wrongAnswer},
                          back(-1),
                          {s_.second},
                          {s_.third},
                          {s_.answer},
                          back(-1)});
    auto judged = judge(trace, false);
    QCOMPARE(judged.returns, Indices({4, 8}));
    QCOMPARE(judged.afterWrongBranch, Indices({4}));
  }
  // The math verifier reads a short unboxed step as a bare answer; only boxed steps are graded.
  void judgeReturns_unboxedStepIsNeverGradedAsAnswer() {
    astro::math::Problem problem{.id = "p", .question = "Compute 12 * 7 + 5.", .answer = "89"};
    auto trace = traceOf({{"12 * 7 = 84"},
                          {"84 + 6 = 90"},
                          back(0),
                          {"84 + 5 = 89"},
                          {"\\boxed{88}"},
                          back(0),
                          {"\\boxed{89}"}});
    auto judged =
        judgeReturns(trace.graph, trace.text, problem, astro::math::MathVerifier(), nullptr);
    QCOMPARE(judged.returns, Indices({2, 5}));
    QCOMPARE(judged.afterWrongBranch, Indices({5}));
  }
  // Property: the ASTRO arm's own traces (linearized and rendered from search trees, read back by
  // the exact detector) return only after an incorrect terminal, so every return is judged to
  // follow a wrong branch, with or without the step validator.
  void renderedAstroTraces_everyReturnFollowsWrongBranch() {
    const auto& phrases = astro::domain::countdownPhraseSet();
    const astro::analysis::ExactDetector detector(phrases);
    const astro::world::CountdownVerifier verifier;
    const astro::domain::CountdownStepValidator validator;
    astro::world::GeneratorOptions puzzles;
    puzzles.numberCount = 3;
    puzzles.maxNumber = 12;
    puzzles.maxTarget = 60;
    astro::search::LinearizeOptions options;
    options.restartProbability = 0.2;  // backtracks and restarts both
    std::size_t returns = 0;
    for (const auto& generated : astro::world::generateDataset(3, 20, 0, puzzles).train) {
      const auto problem = astro::world::puzzleToProblem(generated.puzzle, generated.id);
      const auto tree = fullTree(generated.puzzle, problem);
      for (const auto& sequence : astro::search::linearize(tree, options)) {
        const auto trace = astro::search::renderTrace(tree, sequence, phrases);
        const auto graph = detector.detect(trace.text);
        for (const auto* stepValidator :
             {static_cast<const astro::domain::StepValidator*>(&validator),
              static_cast<const astro::domain::StepValidator*>(nullptr)}) {
          auto judged = judgeReturns(graph, trace.text, problem, verifier, stepValidator);
          QVERIFY2(judged.afterWrongBranch == judged.returns, trace.text.c_str());
        }
        returns += std::size_t(graph.backtracks() + graph.restarts());
      }
    }
    QVERIFY(returns > 20);
  }
  void behaviour_countsRatesOverAnswers() {
    BacktrackBehaviour b;
    b.add(2, 1, true);
    b.add(0, 0, false);
    b.add(1, 1, false);
    b.add(0, 0, true);
    QCOMPARE(b, (BacktrackBehaviour{.answers = 4,
                                    .returns = 3,
                                    .returnsAfterWrongBranch = 2,
                                    .answersWithReturn = 2,
                                    .recoveredAnswers = 1}));
    QCOMPARE(b.returnsPerAnswer(), 0.75);
    QCOMPARE(b.wrongBranchShare(), 2.0 / 3.0);
    QCOMPARE(b.recoveryRate(), 0.5);
    BacktrackBehaviour pooled = b;
    pooled += b;
    QCOMPARE(pooled.recoveredAnswers, 2);
    QCOMPARE(pooled.recoveryRate(), 0.5);
  }
  void behaviour_withoutReturns_ratesAreUndefined() {
    BacktrackBehaviour b;
    QVERIFY(std::isnan(b.returnsPerAnswer()));
    b.add(0, 0, true);
    QCOMPARE(b.returnsPerAnswer(), 0.0);
    QVERIFY(std::isnan(b.wrongBranchShare()));
    QVERIFY(std::isnan(b.recoveryRate()));
  }
};

QTEST_GUILESS_MAIN(BacktrackBehaviourTest)
#include "backtrack_behaviour_test.moc"
