// Grounded reflections on the countdown world (issue #21): the domain's ReflectionCheck through
// search::groundedCheckFor renders the issue's trace with its checks, the exact detector reads
// it as the same walk as the plain trace, and MATH states no checks.
#include <QtTest>

#include "core/analysis/exact_detector.h"
#include "core/domain/countdown_domain.h"
#include "core/domain/countdown_phrases.h"
#include "core/domain/math_domain.h"
#include "core/search/grounded_check.h"
#include "core/world/countdown_puzzle.h"

using namespace astro;

namespace {

using search::Move;

// Numbers 10, 10, 2, target 18: two steps to 18, then a wrong and a right box.
search::SearchTree issueTree() {
  const world::CountdownPuzzle puzzle{{10, 10, 2}, 18, {}};
  search::SearchTree tree(world::renderQuestion(puzzle), "18");
  const int step1 = tree.addChild(0, "Step 1: 10 + 10 = 20. Remaining: 2, 20");
  const int step2 = tree.addChild(step1, "Step 2: 20 - 2 = 18. Remaining: 18");
  const int wrong = tree.addChild(step2, "\\boxed{(10-10)*2}");
  const int right = tree.addChild(step2, "\\boxed{10+10-2}");
  tree.node(wrong).terminal = true;
  tree.node(wrong).answer = "(10-10)*2";
  tree.node(wrong).correct = false;
  tree.node(right).terminal = true;
  tree.node(right).answer = "10+10-2";
  tree.node(right).correct = true;
  return tree;
}

const search::NodeSequence kIssueWalk{{{0, Move::kStart},
                                       {1, Move::kForward},
                                       {2, Move::kForward},
                                       {3, Move::kForward},
                                       {2, Move::kBacktrack},
                                       {4, Move::kForward}}};

search::RenderedTrace renderIssue(bool grounded) {
  const domain::CountdownDomain countdown;
  search::RenderOptions options{.stepDelimiter = std::string(countdown.stepDelimiter())};
  if (grounded) options.groundedCheck = search::groundedCheckFor(countdown);
  return search::renderTrace(issueTree(), kIssueWalk, countdown.phraseSet(), options);
}

}  // namespace

class CountdownGroundedTraceTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void issueTrace_statesTheChecks() {
    QCOMPARE(renderIssue(true).text,
             std::string("Step 1: 10 + 10 = 20. Remaining: 2, 20\n\n"
                         "Step 2: 20 - 2 = 18. Remaining: 18\n\n"
                         "\\boxed{(10-10)*2}\n\n"
                         "Wait, is this right? (10-10)*2 = 0, not 18. No. Back to \"Step 2: 20 - "
                         "2 = 18. Remaining: 18\".\n\n"
                         "\\boxed{10+10-2}\n\n"
                         "Wait, is this right? 10+10-2 = 18. Yes, it is right."));
  }
  void issueTrace_plainIsThePapersWording() {
    QCOMPARE(renderIssue(false).text,
             std::string("Step 1: 10 + 10 = 20. Remaining: 2, 20\n\n"
                         "Step 2: 20 - 2 = 18. Remaining: 18\n\n"
                         "\\boxed{(10-10)*2}\n\n"
                         "Wait, is this right? No. Back to \"Step 2: 20 - 2 = 18. Remaining: "
                         "18\".\n\n"
                         "\\boxed{10+10-2}\n\n"
                         "Wait, is this right? Yes, it is right."));
  }
  void issueTrace_detectorReadsTheSameWalk() {
    const auto detector = analysis::ExactDetector::forDomain(domain::CountdownDomain{});
    const auto plain = detector->detect(renderIssue(false).text);
    const auto grounded = detector->detect(renderIssue(true).text);
    QCOMPARE(grounded.backtracks(), 1);
    QCOMPARE(grounded.restarts(), 0);
    QCOMPARE(grounded.steps.size(), plain.steps.size());
    for (std::size_t k = 0; k < plain.steps.size(); ++k) {
      QCOMPARE(grounded.steps[k].role, plain.steps[k].role);
      QCOMPARE(grounded.steps[k].returnsTo, plain.steps[k].returnsTo);
    }
    QCOMPARE(grounded.steps[3].returnsTo, 1);  // "Step 2: ...", the second paragraph
    QCOMPARE(grounded.edges, plain.edges);
  }
  void intermediateSteps_areCheckedAlongTheirPath() {
    search::SearchTree tree = issueTree();
    const int wrongStep = tree.addChild(1, "Step 2: 20 - 2 = 17. Remaining: 17");
    const int missing = tree.addChild(1, "Step 2: 9 - 7 = 2. Remaining: 2, 20");
    const int box = tree.addChild(wrongStep, "\\boxed{10+10-2}");
    const int after = tree.addChild(wrongStep, "Step 3: 17 + 1 = 18. Remaining: 18");
    const auto check = search::groundedCheckFor(domain::CountdownDomain{});
    QCOMPARE(check(tree, 1).value_or("(none)"), std::string("10 + 10 = 20."));
    QCOMPARE(check(tree, wrongStep).value_or("(none)"), std::string("20 - 2 = 18, not 17."));
    QCOMPARE(check(tree, missing).value_or("(none)"), std::string("9 is not left."));
    // A box is graded against the puzzle wherever it stands; an operation below a step that does
    // not replay has no state to be checked against.
    QCOMPARE(check(tree, box).value_or("(none)"), std::string("10+10-2 = 18."));
    QVERIFY(!check(tree, after).has_value());
  }
  void math_statesNoChecks() { QVERIFY(!search::groundedCheckFor(domain::MathDomain{})); }
};

QTEST_APPLESS_MAIN(CountdownGroundedTraceTest)
#include "countdown_grounded_trace_test.moc"
