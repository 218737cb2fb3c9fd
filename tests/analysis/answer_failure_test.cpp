// Why a wrong answer is wrong: an invalid step on its final path (the step validator rejects it),
// only valid steps and a wrong answer, or no answer; steps abandoned by a backtrack or restart are
// not on the final path. Traces are countdown solutions for 8, 3, 5, 7 -> 18 paragraph by
// paragraph, with the step graph given directly (what a detector would find).
#include "core/analysis/answer_failure.h"

#include <QtTest>

#include "core/domain/countdown_step_validator.h"
#include "core/world/countdown_verifier.h"
#include "tests/analysis/countdown_trace_fixture.h"

using astro::analysis::AnswerFailure;
using astro::analysis::AnswerFailures;
using astro::analysis::StepGraph;
using astro::analysis::StepRole;
using astro::test::kPuzzle;
using astro::test::step;
using astro::test::Trace;
using astro::test::traceOf;
using astro::world::Operator;

namespace {

struct Steps {
  std::string first, second, third, answer;          // (8-3)*5-7 = 18
  std::string wrongSecond, wrongThird, wrongAnswer;  // 8-3+5+7 = 17
  std::string forced;  // "Step 3: 10 + 7 = 18": arithmetic bent to the target
};

Steps countdownSteps() {
  Steps s;
  auto start = astro::world::initialState(kPuzzle);
  s.first = step(start, 1, 8, Operator::kSubtract, 3);
  auto right = start;
  s.second = step(right, 2, 5, Operator::kMultiply, 5);
  s.third = step(right, 3, 25, Operator::kSubtract, 7);
  s.answer = "\\boxed{(8-3)*5-7}";
  auto wrong = start;
  s.wrongSecond = step(wrong, 2, 5, Operator::kAdd, 5);
  s.wrongThird = step(wrong, 3, 10, Operator::kAdd, 7);
  s.wrongAnswer = "\\boxed{8-3+5+7}";
  s.forced = s.wrongThird;  // "Step 3: 10 + 7 = 17. Remaining: 17"
  s.forced.replace(s.forced.find("= 17"), 4, "= 18");
  s.forced.replace(s.forced.find("Remaining: 17"), 13, "Remaining: 18");
  return s;
}

AnswerFailure judge(const Trace& trace, bool withValidator = true) {
  static const astro::world::CountdownVerifier verifier;
  static const astro::domain::CountdownStepValidator validator;
  const auto problem = astro::world::puzzleToProblem(kPuzzle, "p");
  return astro::analysis::judgeAnswer(trace.graph, trace.text, problem,
                                      verifier.grade(problem, trace.text),
                                      withValidator ? &validator : nullptr);
}

}  // namespace

class AnswerFailureTest : public QObject {
  Q_OBJECT
 private:
  Steps s_ = countdownSteps();

 private Q_SLOTS:
  void steps_areWhatTheTestsAssume() {
    QCOMPARE(s_.wrongThird, std::string("Step 3: 10 + 7 = 17. Remaining: 17"));
    QCOMPARE(s_.forced, std::string("Step 3: 10 + 7 = 18. Remaining: 18"));
  }
  void correctAnswer_isNoFailure() {
    QCOMPARE(judge(traceOf({{s_.first}, {s_.second}, {s_.third}, {s_.answer}})),
             AnswerFailure::kNone);
  }
  void validStepsThatMissTheTarget_areAWrongAnswer() {
    QCOMPARE(judge(traceOf({{s_.first}, {s_.wrongSecond}, {s_.wrongThird}, {s_.wrongAnswer}})),
             AnswerFailure::kWrongAnswer);
  }
  void answerThatDoesNotFollowValidSteps_isAWrongAnswer() {
    QCOMPARE(judge(traceOf({{s_.first}, {s_.second}, {s_.third}, {"\\boxed{(8-3)*5+7}"}})),
             AnswerFailure::kWrongAnswer);
  }
  void arithmeticBentToTheTarget_isAnInvalidStep() {
    QCOMPARE(judge(traceOf({{s_.first}, {s_.wrongSecond}, {s_.forced}, {s_.wrongAnswer}})),
             AnswerFailure::kInvalidStep);
  }
  void aNumberNotRemaining_isAnInvalidStep() {
    auto trace =
        traceOf({{s_.first}, {"Step 2: 9 * 2 = 18. Remaining: 7, 5, 18"}, {"\\boxed{9*2}"}});
    QCOMPARE(judge(trace), AnswerFailure::kInvalidStep);
  }
  void withoutAValidator_everyAnsweredFailureIsAWrongAnswer() {
    QCOMPARE(judge(traceOf({{s_.first}, {s_.wrongSecond}, {s_.forced}, {s_.wrongAnswer}}), false),
             AnswerFailure::kWrongAnswer);
  }
  void noBoxedAnswer_isNoAnswer() {
    QCOMPARE(judge(traceOf({{s_.first}, {s_.second}})), AnswerFailure::kNoAnswer);
  }
  // The invalid step sits on a branch a backtrack abandoned: the final path is valid.
  void invalidStepOnAnAbandonedBranch_isNotOnTheFinalPath() {
    auto trace = traceOf({{s_.first},
                          {s_.wrongSecond},
                          {s_.forced},
                          astro::test::back(0),
                          {s_.second},
                          {s_.third},
                          {"\\boxed{(8-3)*5+7}"}});
    QCOMPARE(judge(trace), AnswerFailure::kWrongAnswer);
    // The same branch kept (no backtrack) is on the path.
    auto kept = traceOf({{s_.first}, {s_.wrongSecond}, {s_.forced}, {"\\boxed{(8-3)*5+7}"}});
    QCOMPARE(judge(kept), AnswerFailure::kInvalidStep);
  }
  // After a restart the final path is the second attempt only.
  void invalidFirstAttemptThenRestart_judgesTheSecondAttempt() {
    auto trace = traceOf({{s_.first},
                          {s_.wrongSecond},
                          {s_.forced},
                          astro::test::restart(),
                          {s_.first},
                          {s_.second},
                          {s_.third},
                          {s_.answer}});
    QCOMPARE(judge(trace), AnswerFailure::kNone);
    trace = traceOf({{s_.first},
                     {s_.second},
                     astro::test::restart(),
                     {s_.first},
                     {s_.wrongSecond},
                     {s_.forced},
                     {s_.wrongAnswer}});
    QCOMPARE(judge(trace), AnswerFailure::kInvalidStep);
  }
  void counts_addAndPool() {
    AnswerFailures a, b;
    a.add(AnswerFailure::kNone);
    a.add(AnswerFailure::kInvalidStep);
    a.add(AnswerFailure::kInvalidStep);
    b.add(AnswerFailure::kWrongAnswer);
    b.add(AnswerFailure::kNoAnswer);
    a += b;
    QCOMPARE(a, (AnswerFailures{.answers = 5, .invalidStep = 2, .wrongAnswer = 1, .noAnswer = 1}));
    QCOMPARE(a.wrong(), 4);
    QCOMPARE(astro::analysis::answerFailureName(AnswerFailure::kInvalidStep),
             std::string_view("invalid_step"));
  }
};

QTEST_GUILESS_MAIN(AnswerFailureTest)
#include "answer_failure_test.moc"
