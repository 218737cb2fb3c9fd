// The self-evaluation quality filter (ASTRO's unanimous "valid reasoning" votes) with a scripted
// judge on the toy world: off changes nothing and asks nothing, only unanimous votes keep a
// solution correct, a rejected one keeps its answer and statistics, and a policy that cannot
// judge is refused.
#include <QtTest>

#include "core/base/error.h"
#include "core/search/mcts.h"
#include "core/search/policy_callback.h"
#include "tests/mcts/toy_world.h"

using namespace astro::search;
using astro::test::sampleToyStep;
using astro::test::toyProblem;
using astro::test::ToyVerifier;

namespace {

MctsOptions toyOptions(int votes = 0) {
  MctsOptions options{.iterations = 24, .maxDepth = 8, .childrenPerExpansion = 3, .seed = 5};
  options.selfEvaluation.votes = votes;
  return options;
}

std::vector<astro::math::Problem> toyProblems() {
  return {toyProblem("a", 4, 4), toyProblem("b", 5, 5), toyProblem("c", 6, 6)};
}

// Valid unless the solution takes a "+3" step.
bool validWithoutPlusThree(const PolicyState& state, std::mt19937_64&) {
  for (std::string_view step : state.steps) {
    if (step == "+3") return false;
  }
  return true;
}

// The filtered tree equals the unfiltered one node for node, except that some correct terminals
// now have correct = false: the filter touches verdicts only.
bool sameExceptVerdicts(const SearchTree& filtered, const SearchTree& plain) {
  if (filtered.size() != plain.size()) return false;
  for (int id = 0; id < plain.size(); ++id) {
    TreeNode expected = plain.node(id);
    const TreeNode& got = filtered.node(id);
    if (expected.isCorrectTerminal() && got.correct == std::optional<bool>(false)) {
      expected.correct = false;
    }
    if (!(expected == got)) return false;
  }
  return true;
}

}  // namespace

class SelfEvaluationTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void off_asksNothingAndChangesNothing() {
    ToyVerifier verifier;
    const auto problems = toyProblems();
    CallbackStepPolicy plainPolicy(sampleToyStep);
    const MctsResult plain = searchBatch(problems, plainPolicy, verifier, toyOptions());
    CallbackStepPolicy judging(sampleToyStep, validWithoutPlusThree);
    const MctsResult off = searchBatch(problems, judging, verifier, toyOptions(0));
    QCOMPARE(judging.judgeCalls(), 0);
    QCOMPARE(off.stats.solutionsJudged, 0LL);
    for (std::size_t i = 0; i < problems.size(); ++i) QVERIFY(*off.trees[i] == *plain.trees[i]);
  }

  void on_keepsOnlyUnanimouslyValidSolutions() {
    ToyVerifier verifier;
    const auto problems = toyProblems();
    CallbackStepPolicy plainPolicy(sampleToyStep);
    const MctsResult plain = searchBatch(problems, plainPolicy, verifier, toyOptions());
    CallbackStepPolicy judging(sampleToyStep, validWithoutPlusThree);
    const MctsResult filtered = searchBatch(problems, judging, verifier, toyOptions(3));
    QCOMPARE(judging.judgeCalls(), 3);  // one batched call per finished tree

    long long correctBefore = 0, rejected = 0;
    for (std::size_t i = 0; i < problems.size(); ++i) {
      const SearchTree& before = *plain.trees[i];
      const SearchTree& after = *filtered.trees[i];
      QVERIFY(sameExceptVerdicts(after, before));
      for (int id : before.correctTerminals()) {
        ++correctBefore;
        bool plusThree = false;
        for (int step : before.pathFromRoot(id)) plusThree |= before.node(step).text == "+3";
        QCOMPARE(after.node(id).isCorrectTerminal(), !plusThree);
        QCOMPARE(after.node(id).answer, before.node(id).answer);  // the answer stays
        rejected += plusThree;
      }
    }
    QVERIFY(correctBefore > 0);
    QVERIFY2(rejected > 0, "the toy trees hold no solution through +3: pick another seed");
    QCOMPARE(filtered.stats.solutionsJudged, correctBefore);
    QCOMPARE(filtered.stats.solutionsRejected, rejected);
  }

  void oneInvalidVote_rejectsTheSolution() {
    SearchTree tree("Count up to 2 (x)", "2");
    const int step = tree.addChild(0, "+2", 1.0);
    const int answer = tree.addChild(step, "answer: 2", 1.0);
    tree.node(answer).terminal = true;
    tree.node(answer).answer = "2";
    tree.node(answer).correct = true;
    const auto problem = toyProblem("x", 2, 2);
    // Every third vote says "invalid" (the count runs across calls).
    auto thirdVoteInvalid = [](const PolicyState&, std::mt19937_64& random) {
      static_cast<void>(random);
      static int vote = 0;
      return ++vote % 3 != 0;
    };
    CallbackStepPolicy twoVotes(sampleToyStep, thirdVoteInvalid);
    SearchTree kept = tree;
    const auto counts = filterBySelfEvaluation(kept, problem, twoVotes, {.votes = 2}, 1);
    QCOMPARE(counts.rejected, 0LL);
    QVERIFY(kept.node(answer).isCorrectTerminal());
    SearchTree judged = tree;
    const auto again = filterBySelfEvaluation(judged, problem, twoVotes, {.votes = 2}, 1);
    QCOMPARE(again.judged, 1LL);
    QCOMPARE(again.rejected, 1LL);  // votes 3 and 4: the third is invalid
    QCOMPARE(judged.node(answer).correct, std::optional<bool>(false));
    QCOMPARE(judged.node(answer).visits, tree.node(answer).visits);
  }

  void policyWithoutJudge_isRefused() {
    ToyVerifier verifier;
    const auto problems = toyProblems();
    CallbackStepPolicy policy(sampleToyStep);
    QVERIFY_THROWS_EXCEPTION(astro::UsageError,
                             searchBatch(problems, policy, verifier, toyOptions(2)));
    MctsOptions negative = toyOptions();
    negative.selfEvaluation.votes = -1;
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, negative.validate());
  }
};

QTEST_GUILESS_MAIN(SelfEvaluationTest)
#include "self_evaluation_test.moc"
