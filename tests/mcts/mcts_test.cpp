// MCTS rules checked by hand (PUCT, selection, backup, priors) and the batched driver's contract
// on a toy world: iteration count, maximum depth, verifier verdicts, seeds, batching, stopping.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "core/base/error.h"
#include "core/search/mcts.h"
#include "core/search/mcts_operations.h"
#include "core/search/policy_callback.h"
#include "tests/mcts/toy_world.h"

using namespace astro::search;
using astro::test::sampleToyStep;
using astro::test::ToyVerifier;
using astro::test::toyProblem;

namespace {

// Root with three children whose statistics are set by hand.
SearchTree handMadeTree() {
  SearchTree tree("problem", "gold");
  for (const char* text : {"a", "b", "c"}) tree.addChild(0, text);
  auto set = [&](int id, int visits, double value, double prior) {
    tree.node(id).visits = visits;
    tree.node(id).value = value;
    tree.node(id).prior = prior;
  };
  tree.node(0).visits = 5;
  set(1, 4, 2.0, 0.1);   // Q 0.5: the best mean
  set(2, 1, -1.0, 0.6);  // Q -1: the highest prior
  set(3, 0, 0.0, 0.3);   // unvisited
  return tree;
}

std::vector<astro::math::Problem> toyProblems(int count) {
  std::vector<astro::math::Problem> problems;
  for (int i = 0; i < count; ++i) {
    problems.push_back(toyProblem("toy-" + std::to_string(i), 4 + i % 3, 4 + i % 3));
  }
  return problems;
}

MctsOptions toyOptions() {
  return MctsOptions{.iterations = 12, .maxDepth = 10, .childrenPerExpansion = 3, .seed = 7};
}

}  // namespace

class MctsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void puctScore_matchesHandComputedValue() {
    TreeNode child;
    child.visits = 2;
    child.value = 1.0;
    child.prior = 0.5;
    // 1/2 + 1.5 * 0.5 * sqrt(8) / 3
    QCOMPARE(puctScore(child, 8, 1.5), 0.5 + 0.25 * std::sqrt(8.0));
  }

  void selectChild_picksTheChildTheFormulaSays() {
    const SearchTree tree = handMadeTree();
    // c = 2: a 0.5 + 0.2*sqrt5/5 = 0.589, b -1 + 1.2*sqrt5/2 = 0.342, c 0 + 0.6*sqrt5 = 1.342.
    QCOMPARE(selectChild(tree, 0, 2.0), 3);
    // c = 0: the mean alone.
    QCOMPARE(selectChild(tree, 0, 0.0), 1);
  }

  void selectChild_breaksTiesByPriorThenLowerId() {
    SearchTree tree("problem", "gold");
    for (const char* text : {"a", "b", "c"}) tree.addChild(0, text);
    tree.node(1).prior = 0.2;
    tree.node(2).prior = 0.4;
    tree.node(3).prior = 0.4;
    // Root unvisited: every exploration term is 0 and every Q is 0.
    QCOMPARE(selectChild(tree, 0, 1.0), 2);
  }

  void backup_updatesVisitsAndValuesAlongThePathOnly() {
    SearchTree tree("problem", "gold");
    const int a = tree.addChild(0, "a");
    const int b = tree.addChild(a, "b");
    const int c = tree.addChild(0, "c");
    backup(tree, b, -1.0);
    backup(tree, b, -1.0);
    backup(tree, c, 1.0);
    QCOMPARE(tree.node(0).visits, 3);
    QCOMPARE(tree.node(0).value, -1.0);
    QCOMPARE(tree.node(a).visits, 2);
    QCOMPARE(tree.node(a).value, -2.0);
    QCOMPARE(tree.node(b).visits, 2);
    QCOMPARE(tree.node(b).value, -2.0);
    QCOMPARE(tree.node(c).visits, 1);
    QCOMPARE(tree.node(c).value, 1.0);
  }

  void priors_areNormalisedSequenceLikelihoods() {
    QCOMPARE(stepLikelihood({.text = "x", .tokenCount = 4, .logLikelihood = 4 * std::log(0.5)}),
             0.5);
    SearchTree tree("problem", "gold");
    for (const char* text : {"a", "b", "c"}) tree.addChild(0, text);
    const std::vector<double> likelihood{1.0, 0.1, 0.3, 0.1};
    assignChildPriors(tree, 0, likelihood);
    QCOMPARE(tree.node(1).prior, 0.1 / 0.5);
    QCOMPARE(tree.node(2).prior, 0.3 / 0.5);
    QCOMPARE(tree.node(3).prior, 0.1 / 0.5);
  }

  void search_runsExactlyTheIterationsAsked() {
    CallbackStepPolicy policy(sampleToyStep);
    ToyVerifier verifier;
    const auto problem = toyProblem("p", 5, 5);
    const SearchTree tree = searchOne(problem, policy, verifier, toyOptions());
    QCOMPARE(tree.root().visits, 12);
    int childVisits = 0;
    for (int child : tree.root().children) childVisits += tree.node(child).visits;
    QCOMPARE(childVisits, 12);
    tree.validate();
  }

  void search_respectsMaximumDepth() {
    CallbackStepPolicy policy(sampleToyStep);
    ToyVerifier verifier;
    const auto problem = toyProblem("deep", 1000, 1000);  // never reaches an answer
    MctsOptions options = toyOptions();
    options.maxDepth = 3;
    const SearchTree tree = searchOne(problem, policy, verifier, options);
    int atMaximum = 0;
    for (const TreeNode& node : tree.nodes()) {
      QVERIFY(node.depth <= 3);
      if (node.depth == 3) {
        ++atMaximum;
        QVERIFY(node.terminal);
        QCOMPARE(node.correct, std::optional<bool>(false));
      }
    }
    QVERIFY(atMaximum > 0);
    QCOMPARE(tree.root().value, -12.0);  // every path dead-ends: -1 per iteration
  }

  void search_terminalVerdictsComeFromTheVerifier() {
    CallbackStepPolicy policy(sampleToyStep);
    ToyVerifier verifier;
    const auto problem = toyProblem("verdicts", 4, 5);  // sums end at 4, 5 (correct) or 6
    const SearchTree tree = searchOne(problem, policy, verifier, toyOptions());
    ToyVerifier judge;
    int correct = 0, wrong = 0;
    for (int id : tree.terminals()) {
      std::vector<std::string_view> steps;
      for (int onPath : tree.pathFromRoot(id)) {
        if (onPath != 0) steps.push_back(tree.node(onPath).text);
      }
      const auto verdict = judge.grade(problem, joinSteps(steps, "\n\n"));
      QCOMPARE(tree.node(id).correct, std::optional<bool>(verdict.correct));
      QCOMPARE(tree.node(id).answer, std::optional<std::string>(verdict.extracted));
      (verdict.correct ? correct : wrong) += 1;
    }
    QVERIFY(correct > 0);
    QVERIFY(wrong > 0);
    QVERIFY(verifier.calls >= correct + wrong);
  }

  void search_isDeterministicForASeed() {
    CallbackStepPolicy policy(sampleToyStep);
    ToyVerifier verifier;
    const auto problem = toyProblem("seeded", 6, 6);
    MctsOptions options = toyOptions();
    const SearchTree first = searchOne(problem, policy, verifier, options);
    QCOMPARE(searchOne(problem, policy, verifier, options), first);
    options.seed = 8;
    QVERIFY(searchOne(problem, policy, verifier, options) != first);
  }

  void search_batchedEqualsOneTreeAtATime() {
    const auto problems = toyProblems(7);
    MctsOptions options = toyOptions();
    options.treesPerBatch = 3;
    CallbackStepPolicy batchedPolicy(sampleToyStep);
    ToyVerifier verifier;
    const MctsResult batched = searchBatch(problems, batchedPolicy, verifier, options);
    CallbackStepPolicy alonePolicy(sampleToyStep);
    for (std::size_t i = 0; i < problems.size(); ++i) {
      QVERIFY(batched.trees[i].has_value());
      QCOMPARE(*batched.trees[i], searchOne(problems[i], alonePolicy, verifier, options));
    }
    // Same states served, in fewer and larger calls.
    QCOMPARE(batchedPolicy.statesServed(), alonePolicy.statesServed());
    QVERIFY(batchedPolicy.proposeCalls() <= 3 * options.iterations);
    QVERIFY(batchedPolicy.proposeCalls() < alonePolicy.proposeCalls());
  }

  void search_sendsOneProposeCallPerRound() {
    const auto problems = toyProblems(5);
    MctsOptions options = toyOptions();
    options.treesPerBatch = 5;
    CallbackStepPolicy policy(sampleToyStep);
    ToyVerifier verifier;
    const MctsResult result = searchBatch(problems, policy, verifier, options);
    QVERIFY(policy.proposeCalls() <= options.iterations);
    QVERIFY(policy.rolloutCalls() <= options.iterations);
    QCOMPARE(result.stats.simulations, 5LL * options.iterations);
    QCOMPARE(result.stats.treesFinished, 5);
  }

  void search_refillsFinishedSlotsAndReportsEveryTree() {
    const auto problems = toyProblems(5);
    MctsOptions options = toyOptions();
    options.treesPerBatch = 2;
    CallbackStepPolicy policy(sampleToyStep);
    ToyVerifier verifier;
    std::vector<std::size_t> finished;
    MctsCallbacks callbacks;
    callbacks.onTreeFinished = [&](std::size_t index, const SearchTree&) {
      finished.push_back(index);
    };
    const MctsResult result = searchBatch(problems, policy, verifier, options, callbacks);
    std::sort(finished.begin(), finished.end());
    QCOMPARE(finished, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
    QVERIFY(!result.stopped);
  }

  void search_stopFlagEndsBetweenRoundsAndDropsUnfinishedTrees() {
    const auto problems = toyProblems(3);
    CallbackStepPolicy policy(sampleToyStep);
    ToyVerifier verifier;
    std::atomic<bool> stop{false};
    int rounds = 0;
    MctsCallbacks callbacks;
    callbacks.stop = &stop;
    callbacks.onProgress = [&](const MctsStats&) {
      if (++rounds == 2) stop = true;
    };
    const MctsResult result = searchBatch(problems, policy, verifier, toyOptions(), callbacks);
    QVERIFY(result.stopped);
    QCOMPARE(rounds, 2);
    QCOMPARE(result.stats.simulations, 6LL);
    for (const auto& tree : result.trees) QVERIFY(!tree.has_value());
  }

  void options_rejectOutOfRangeValues() {
    MctsOptions options;
    options.childrenPerExpansion = 0;
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, options.validate());
  }
};

QTEST_GUILESS_MAIN(MctsTest)
#include "mcts_test.moc"
