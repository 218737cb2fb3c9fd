// The miniature experiment's search, RL and held-out puzzles (miniature_splits.h): on the quick
// preset's own generated world they share no (sorted numbers, target) key, and a puzzle that is
// another one with its numbers reordered is caught wherever it lands.
#include "core/experiment/miniature_splits.h"

#include <QtTest>
#include <algorithm>
#include <set>

#include "core/base/error.h"
#include "core/experiment/miniature_options.h"
#include "core/train/base_pretraining.h"
#include "core/world/countdown_puzzle.h"

using namespace astro;

namespace {

std::vector<math::Problem> problemsOf(const std::vector<world::GeneratedProblem>& generated) {
  std::vector<math::Problem> problems;
  for (const auto& g : generated) problems.push_back(world::puzzleToProblem(g.puzzle, g.id));
  return problems;
}

std::string keyOf(const math::Problem& problem) {
  return world::canonicalKey(world::puzzleFromProblem(problem));
}

// `problem` with its numbers rotated by one and a new id: the same puzzle to a solver (reversal
// would leave "5, 7, 5" as it was).
math::Problem reordered(const math::Problem& problem, const std::string& id) {
  world::CountdownPuzzle puzzle = world::puzzleFromProblem(problem);
  std::rotate(puzzle.numbers.begin(), puzzle.numbers.begin() + 1, puzzle.numbers.end());
  return world::puzzleToProblem(puzzle, id);
}

}  // namespace

class MiniatureSplitsTest : public QObject {
  Q_OBJECT
 private:
  experiment::MiniatureOptions options_ = experiment::quickMiniatureOptions();
  world::GeneratedDataset dataset_ = train::baseDataset(options_.base);

 private Q_SLOTS:
  void quickPreset_searchRlAndHeldOutShareNoPuzzle() {
    auto splits = experiment::miniatureSplits(problemsOf(dataset_.train), problemsOf(dataset_.test),
                                              options_.searchProblems, options_.rlPrompts,
                                              options_.heldOutLimit);
    QCOMPARE(splits.search.size(), std::size_t(192));
    QCOMPARE(splits.rl.size(), std::size_t(128));
    QCOMPARE(splits.heldOut.size(), std::size_t(50));
    std::set<std::string> keys;
    for (const auto* set : {&splits.search, &splits.rl, &splits.heldOut}) {
      for (const auto& problem : *set)
        QVERIFY2(keys.insert(keyOf(problem)).second, problem.id.c_str());
    }
    QCOMPARE(keys.size(), std::size_t(192 + 128 + 50));
    // Search reads the first puzzles of the train split (the search job's limit), RL the next.
    QCOMPARE(splits.search.front().id, dataset_.train.front().id);
    QCOMPARE(splits.rl.front().id, dataset_.train[192].id);
    QCOMPARE(splits.heldOut.front().id, dataset_.test.front().id);
  }
  // Issue #21's measurement: at least 1,000 held-out puzzles, distinct and disjoint from the
  // search and RL puzzles. The full preset's world admits 2,194 distinct puzzles in all.
  void fullPreset_holdsOutAThousandDistinctPuzzles() {
    const auto full = experiment::fullMiniatureOptions();
    const auto dataset = train::baseDataset(full.base);
    auto splits =
        experiment::miniatureSplits(problemsOf(dataset.train), problemsOf(dataset.test),
                                    full.searchProblems, full.rlPrompts, full.heldOutLimit);
    QCOMPARE(splits.heldOut.size(), std::size_t(1000));
    QCOMPARE(splits.search.size(), std::size_t(768));
    QCOMPARE(splits.rl.size(), std::size_t(256));
    std::set<std::string> keys;
    for (const auto& problem : dataset.train) keys.insert(world::canonicalKey(problem.puzzle));
    for (const auto& problem : splits.heldOut)
      QVERIFY2(!keys.count(keyOf(problem)), problem.id.c_str());
  }
  void reorderedTrainingPuzzle_inHeldOut_isRejected() {
    auto train = problemsOf(dataset_.train);
    auto test = problemsOf(dataset_.test);
    test[3] = reordered(train[200], "copy-of-rl-puzzle");
    QVERIFY(test[3].question != train[200].question);  // different text, same puzzle
    QVERIFY_THROWS_EXCEPTION(Error, experiment::miniatureSplits(train, test, 192, 128, 50));
    // Beyond the held-out limit it is never evaluated, so it does no harm.
    auto splits = experiment::miniatureSplits(train, test, 192, 128, 3);
    QCOMPARE(splits.heldOut.size(), std::size_t(3));
  }
  void reorderedSearchPuzzle_amongRlPrompts_isRejected() {
    auto train = problemsOf(dataset_.train);
    train[192] = reordered(train[5], "copy-of-search-puzzle");
    QVERIFY_THROWS_EXCEPTION(
        Error, experiment::miniatureSplits(train, problemsOf(dataset_.test), 192, 128, 50));
  }
  void tooFewTrainingPuzzles_leaveNoneForRl() {
    auto train = problemsOf(dataset_.train);
    train.resize(192);
    QVERIFY_THROWS_EXCEPTION(UsageError, experiment::miniatureSplits(train, {}, 192, 128, 50));
  }
};

QTEST_GUILESS_MAIN(MiniatureSplitsTest)
#include "miniature_splits_test.moc"
