// Search trees through the run store: a tree saved in a run and read back equals the original and
// exports the same interchange JSON, for the hand-made tree and hundreds of random ones;
// RunTreeStore knows which problems a run already holds.
#include "core/search/tree_store_run.h"

#include <QtTest>

#include "core/base/error.h"
#include "core/search/tree_json.h"
#include "core/store/workspace.h"
#include "tests/search/search_fixtures.h"
#include "tests/support/test_support.h"

using namespace astro::search;

namespace {

astro::math::Problem problemNamed(const std::string& id) {
  return {.id = id, .question = "question " + id, .answer = "g"};
}

}  // namespace

class TreeStoreRunTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTrip_applesTree_equalsTheOriginalAndItsJson() {
    auto workspace = astro::store::Workspace::open(astro::test::freshTempDir("tree-run-apples"));
    const auto run = workspace.runs().create({.name = "search"});
    const SearchTree original = test::applesTree();
    const auto summary = workspace.trees().save(toNewTree(original, run.id, "search", "apples"));
    const SearchTree back = treeFromStore(workspace.trees().get(summary.id));
    QVERIFY(back == original);
    QCOMPARE(treeToJsonText(back, 2), treeToJsonText(original, 2));
    QCOMPARE(summary.stats.correctTerminals, 2);
    QCOMPARE(summary.stats.maxDepth, 2);
  }

  void roundTrip_randomTrees_exportTheSameJson() {
    auto workspace = astro::store::Workspace::open(astro::test::freshTempDir("tree-run-random"));
    const auto run = workspace.runs().create({.name = "search"});
    SeededRandom random(20260101);
    std::vector<SearchTree> originals;
    std::vector<astro::store::NewTree> rows;
    for (int i = 0; i < 300; ++i) {
      originals.push_back(test::randomTree(random, {.maxNodes = 60}));
      originals.back().node(0).value = 1.0 / (i + 3);  // doubles that need all 17 digits
      rows.push_back(toNewTree(originals.back(), run.id, "search", "p" + std::to_string(i)));
    }
    workspace.trees().saveAll(rows);
    const auto summaries = workspace.trees().list(run.id);
    QCOMPARE(summaries.size(), originals.size());
    for (std::size_t i = 0; i < summaries.size(); ++i) {
      const SearchTree back = treeFromStore(workspace.trees().get(summaries[i].id));
      QCOMPARE(treeToJsonText(back), treeToJsonText(originals[i]));
      QVERIFY(back == originals[i]);
    }
  }

  void treeFromStore_brokenParent_namesTheTreeAndNode() {
    auto workspace = astro::store::Workspace::open(astro::test::freshTempDir("tree-run-broken"));
    const auto run = workspace.runs().create({.name = "search"});
    auto row = toNewTree(test::applesTree(), run.id, "search", "apples");
    row.nodes[3].parent = 42;
    const auto summary = workspace.trees().save(row);
    try {
      treeFromStore(workspace.trees().get(summary.id));
      QFAIL("a parent that is no node was accepted");
    } catch (const astro::Error& error) {
      const QString message = error.what();
      QVERIFY2(message.startsWith("tree 1 of run 1: nodes[3].parent"), qPrintable(message));
    }
  }

  void runTreeStore_flagsStoredProblemsOfItsStageOnly() {
    auto workspace = astro::store::Workspace::open(astro::test::freshTempDir("tree-run-flags"));
    const auto run = workspace.runs().create({.name = "search"});
    std::vector problems = {problemNamed("a"), problemNamed("b"), problemNamed("c")};
    problems[1].subject = "Number Theory";
    problems[1].level = 4;
    RunTreeStore store(workspace, run.id);
    store.store(problems[1], SearchTree(problems[1].question, "g"));
    const auto stored = workspace.trees().list(run.id).front();
    QCOMPARE(stored.subject, std::string("Number Theory"));  // the problems table filters on it
    QCOMPARE(stored.level, 4);
    RunTreeStore other(workspace, run.id, "other");
    other.store(problems[2], SearchTree(problems[2].question, "g"));
    QCOMPARE(store.storedFlags(problems), (std::vector<bool>{false, true, false}));
    QCOMPARE(other.storedFlags(problems), (std::vector<bool>{false, false, true}));
    QVERIFY_THROWS_EXCEPTION(astro::Error, store.store(problems[1], SearchTree("again", "g")));
  }

  void runTreeStore_repeatedOrMissingProblemId_isUsageError() {
    auto workspace = astro::store::Workspace::open(astro::test::freshTempDir("tree-run-ids"));
    const auto run = workspace.runs().create({.name = "search"});
    RunTreeStore store(workspace, run.id);
    const std::vector twice = {problemNamed("a"), problemNamed("a")};
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, store.storedFlags(twice));
    const std::vector unnamed = {problemNamed("")};
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, store.storedFlags(unnamed));
    QVERIFY_THROWS_EXCEPTION(astro::Error, RunTreeStore(workspace, 99));
  }
};

QTEST_GUILESS_MAIN(TreeStoreRunTest)
#include "tree_store_run_test.moc"
