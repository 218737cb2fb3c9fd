// Search trees in the run store: a tree saved whole reads back field for field, summaries page
// through a run, one tree per (run, stage, problem), and trees go with their run.
#include <QtTest>
#include <cmath>
#include <limits>

#include "core/store/workspace.h"
#include "tests/store/store_test_support.h"
#include "tests/support/test_support.h"

using namespace astro::store;
using astro::test::astroErrorOf;

namespace {

// Root, two children, a correct terminal under the first and a wrong one under the second.
NewTree sampleTree(std::int64_t runId, const std::string& problemId) {
  NewTree tree{.runId = runId,
               .problemId = problemId,
               .problem = "What is 2 + 3?\nShow \"work\".",
               .referenceAnswer = "5"};
  tree.nodes = {
      {.id = 0, .text = "", .visits = 4, .value = 0.0, .prior = 1.0},
      {.id = 1,
       .parent = 0,
       .text = "2 + 3 = 5",
       .visits = 2,
       .value = 2.0,
       .prior = 0.625,
       .depth = 1},
      {.id = 2,
       .parent = 0,
       .text = "ünïcode ∑ step\n\twith tabs",
       .visits = 2,
       .value = -2.0,
       .prior = 0.375,
       .depth = 1},
      {.id = 3,
       .parent = 1,
       .text = "\\boxed{5}",
       .visits = 2,
       .value = 2.0,
       .prior = 1.0,
       .depth = 2,
       .terminal = true,
       .answer = "5",
       .correct = true},
      {.id = 4,
       .parent = 2,
       .text = "\\boxed{6}",
       .visits = 2,
       .value = -2.0,
       .prior = 0.1 + 0.2,
       .depth = 2,
       .terminal = true,
       .answer = "6",
       .correct = false},
      {.id = 5,
       .parent = 2,
       .text = "no answer",
       .visits = 0,
       .value = 0.0,
       .prior = std::numeric_limits<double>::denorm_min(),
       .depth = 2,
       .terminal = true},
  };
  return tree;
}

}  // namespace

class TreeRepositoryTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void save_thenGet_returnsEveryFieldExactly() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-roundtrip"));
    auto run = workspace.runs().create({.name = "search"});
    const NewTree tree = sampleTree(run.id, "p-1");
    const TreeSummary saved = workspace.trees().save(tree);
    const StoredTree stored = workspace.trees().get(saved.id);
    QVERIFY(stored.nodes == tree.nodes);
    QCOMPARE(stored.summary.runId, run.id);
    QCOMPARE(stored.summary.stage, std::string("search"));
    QCOMPARE(stored.summary.problemId, std::string("p-1"));
    QCOMPARE(stored.summary.problem, tree.problem);
    QCOMPARE(stored.summary.referenceAnswer, std::string("5"));
    QCOMPARE(stored.summary.created, saved.created);
  }

  void save_derivesStatsFromTheNodes() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-stats"));
    auto run = workspace.runs().create({.name = "search"});
    const TreeSummary saved = workspace.trees().save(sampleTree(run.id, "p-1"));
    const TreeStats expected{
        .nodes = 6, .maxDepth = 2, .terminals = 3, .correctTerminals = 1, .rootVisits = 4};
    QVERIFY(saved.stats == expected);
    QVERIFY(workspace.trees().get(saved.id).summary.stats == expected);
    QVERIFY(saved.stats.solved());
  }

  void save_sameProblemTwice_isRefusedAndKeepsTheFirst() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-duplicate"));
    auto run = workspace.runs().create({.name = "search"});
    workspace.trees().save(sampleTree(run.id, "p-1"));
    NewTree again = sampleTree(run.id, "p-1");
    again.nodes.resize(1);
    QString message = astroErrorOf([&] { workspace.trees().save(again); });
    QVERIFY2(message.startsWith("run 1 already holds a tree of stage 'search' for problem 'p-1'"),
             qPrintable(message));
    QCOMPARE(workspace.trees().count(run.id), std::int64_t{1});
    QCOMPARE(workspace.trees().list(run.id)[0].stats.nodes, 6);
    // Another stage of the same run may hold a tree for that problem.
    again.stage = "import";
    workspace.trees().save(again);
    QCOMPARE(workspace.trees().count(run.id), std::int64_t{2});
    QCOMPARE(workspace.trees().count(run.id, std::string("import")), std::int64_t{1});
  }

  void saveAll_failingTree_storesNone() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-all-or-none"));
    auto run = workspace.runs().create({.name = "search"});
    std::vector<NewTree> trees = {sampleTree(run.id, "a"), sampleTree(run.id, "b"),
                                  sampleTree(run.id, "a")};
    QVERIFY(!astroErrorOf([&] { workspace.trees().saveAll(trees); }).isEmpty());
    QCOMPARE(workspace.trees().count(run.id), std::int64_t{0});
    QVERIFY(!workspace.trees().find(run.id, "search", "b").has_value());
    trees.pop_back();
    workspace.trees().saveAll(trees);
    QCOMPARE(workspace.trees().count(run.id), std::int64_t{2});
  }

  void save_unknownRun_givesErrorNamingTheWorkspace() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-no-run"));
    QCOMPARE(astroErrorOf([&] { workspace.trees().save(sampleTree(9, "p")); }),
             "no run 9 in workspace " + QString::fromStdString(workspace.folder()));
    QCOMPARE(astroErrorOf([&] { workspace.trees().get(3); }),
             "no tree 3 in workspace " + QString::fromStdString(workspace.folder()));
  }

  void list_pagesInStorageOrder() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-paging"));
    auto run = workspace.runs().create({.name = "search"});
    auto other = workspace.runs().create({.name = "other"});
    for (int i = 0; i < 25; ++i)
      workspace.trees().save(sampleTree(run.id, "p" + std::to_string(i)));
    workspace.trees().save(sampleTree(other.id, "p0"));
    QCOMPARE(workspace.trees().count(run.id), std::int64_t{25});
    auto page = workspace.trees().list(run.id, {.offset = 20, .limit = 10});
    QCOMPARE(page.size(), std::size_t{5});
    QCOMPARE(page.front().problemId, std::string("p20"));
    QCOMPARE(page.back().problemId, std::string("p24"));
    QCOMPARE(workspace.trees().list(run.id, {.limit = 3}).size(), std::size_t{3});
    QCOMPARE(workspace.trees().list(run.id, {.stage = std::string("import")}).size(),
             std::size_t{0});
    auto ids = workspace.trees().problemIds(run.id, "search");
    QCOMPARE(ids.size(), std::size_t{25});
    QCOMPARE(ids[7], std::string("p7"));
    QCOMPARE(workspace.trees().stages(run.id), std::vector<std::string>{"search"});
  }

  void listMatching_filtersInSqlAndPagesByKeyset() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-filter"));
    auto run = workspace.runs().create({.name = "search"});
    for (int i = 0; i < 12; ++i) {
      NewTree tree = sampleTree(run.id, "p" + std::to_string(i));
      if (i % 3 == 0) tree.nodes[3].correct = false;  // unsolved: no correct terminal
      tree.subject = i % 2 == 0 ? "Algebra" : "Geometry";
      tree.level = 1 + i % 5;
      if (i == 7) tree.problem = "Find the AREA of 100%_circle";
      workspace.trees().save(tree);
    }
    auto trees = workspace.trees();
    QCOMPARE(trees.countMatching(run.id, {}), std::int64_t{12});
    QCOMPARE(trees.countMatching(run.id, {.solved = false}), std::int64_t{4});
    QCOMPARE(trees.countMatching(run.id, {.solved = true}), std::int64_t{8});
    QCOMPARE(trees.countMatching(run.id, {.subject = std::string("Geometry")}), std::int64_t{6});
    QCOMPARE(trees.countMatching(run.id, {.level = 2}), std::int64_t{3});  // p1, p6, p11
    auto matched = trees.listMatching(run.id, {.solved = true, .subject = std::string("Algebra")});
    std::vector<std::string> ids;
    for (const auto& tree : matched) ids.push_back(tree.problemId);
    QCOMPARE(ids, (std::vector<std::string>{"p2", "p4", "p8", "p10"}));
    QCOMPARE(matched.front().subject, std::string("Algebra"));
    QCOMPARE(matched.front().level, 3);
    // Text: case-insensitive, over problem and id, with LIKE's wildcards taken literally.
    QCOMPARE(trees.countMatching(run.id, {.text = "area of"}), std::int64_t{1});
    QCOMPARE(trees.countMatching(run.id, {.text = "100%_"}), std::int64_t{1});
    QCOMPARE(trees.countMatching(run.id, {.text = "1%0"}), std::int64_t{0});
    QCOMPARE(trees.countMatching(run.id, {.text = "P1"}), std::int64_t{3});  // p1, p10, p11
    // Keyset pages: after the last id of a page, every match once.
    auto first = trees.listMatching(run.id, {.solved = true}, 0, 5);
    QCOMPARE(first.size(), std::size_t{5});
    auto rest = trees.listMatching(run.id, {.solved = true}, first.back().id, 5);
    QCOMPARE(rest.size(), std::size_t{3});
    QCOMPARE(rest.back().problemId, std::string("p11"));
    QCOMPARE(trees.subjects(run.id), (std::vector<std::string>{"Algebra", "Geometry"}));
    QCOMPARE(trees.levels(run.id), (std::vector<int>{1, 2, 3, 4, 5}));
  }

  // Sorted pages (the studio's problems table): by a count, ties by the tie-break the order
  // names and then by id, filtered, paged by offset.
  void listSorted_ordersByCountsAndPagesByOffset() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-sorted"));
    auto run = workspace.runs().create({.name = "search"});
    NewTree small = sampleTree(run.id, "small");
    small.nodes.resize(4);  // the root, two steps and the correct terminal
    NewTree wrong = sampleTree(run.id, "wrong");
    wrong.nodes[3].correct = false;  // as large as "big", one more wrong terminal
    workspace.trees().saveAll(std::vector{small, sampleTree(run.id, "big"), wrong});
    auto trees = workspace.trees();
    auto ids = [](const std::vector<TreeSummary>& page) {
      std::vector<std::string> names;
      for (const auto& tree : page) names.push_back(tree.problemId);
      return names;
    };
    const TreeOrder largest{.key = TreeSortKey::kNodes, .descending = true};
    QCOMPARE(ids(trees.listSorted(run.id, {}, largest, 0, -1)),
             (std::vector<std::string>{"wrong", "big", "small"}));
    QCOMPARE(ids(trees.listSorted(run.id, {}, largest, 1, 1)), std::vector<std::string>{"big"});
    QCOMPARE(ids(trees.listSorted(run.id, {.solved = true}, largest, 0, 10)),
             (std::vector<std::string>{"big", "small"}));
    QCOMPARE(ids(trees.listSorted(run.id, {}, {.key = TreeSortKey::kWrong}, 0, -1)),
             (std::vector<std::string>{"small", "big", "wrong"}));
    QCOMPARE(ids(trees.listSorted(run.id, {}, {.key = TreeSortKey::kStored}, 0, -1)),
             (std::vector<std::string>{"small", "big", "wrong"}));
    QCOMPARE(ids(trees.listSorted(run.id, {}, {.key = TreeSortKey::kCorrect, .descending = true},
                                  0, -1)),
             (std::vector<std::string>{"small", "big", "wrong"}));
  }

  void find_byProblem_returnsThatTree() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-find"));
    auto run = workspace.runs().create({.name = "search"});
    workspace.trees().save(sampleTree(run.id, "a"));
    auto b = workspace.trees().save(sampleTree(run.id, "b"));
    auto found = workspace.trees().find(run.id, "search", "b");
    QVERIFY(found.has_value());
    QCOMPARE(found->summary.id, b.id);
    QCOMPARE(found->nodes.size(), std::size_t{6});
    QVERIFY(!workspace.trees().find(run.id, "search", "c").has_value());
  }

  void removeRunOrTree_deletesTheNodes() {
    auto workspace = Workspace::open(astro::test::freshTempDir("trees-remove"));
    auto run = workspace.runs().create({.name = "search"});
    NewTree small = sampleTree(run.id, "a");
    small.nodes.resize(1);
    // Row ids are reused once the table is empty: a node left behind by a delete would collide
    // with the next tree's nodes (same tree_id and id) or show up among them.
    auto first = workspace.trees().save(sampleTree(run.id, "a"));
    workspace.trees().remove(first.id);
    QCOMPARE(workspace.trees().count(run.id), std::int64_t{0});
    QCOMPARE(workspace.trees().get(workspace.trees().save(small).id).nodes.size(), std::size_t{1});
    workspace.runs().remove(run.id);
    QCOMPARE(workspace.trees().count(run.id), std::int64_t{0});
    auto again = workspace.runs().create({.name = "again"});
    small.runId = again.id;
    auto stored = workspace.trees().get(workspace.trees().save(small).id);
    QCOMPARE(stored.summary.id, first.id);
    QCOMPARE(stored.nodes.size(), std::size_t{1});
    QCOMPARE(workspace.checkIntegrity(), std::string("ok"));
  }
};

QTEST_GUILESS_MAIN(TreeRepositoryTest)
#include "tree_repository_test.moc"
