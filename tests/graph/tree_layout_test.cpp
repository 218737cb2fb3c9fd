// Layout of search trees: every shown node gets coordinates, pruning keeps the most visited
// connected part and says so, the cancel flag stops the work.
#include "core/graph/tree_layout.h"

#include <QtTest>
#include <atomic>
#include <set>

#include "core/graph/tree_pruning.h"
#include "tests/graph/random_tree.h"

using astro::graph::LayoutEngine;
using astro::graph::layoutTree;

class TreeLayoutTest : public QObject {
  Q_OBJECT
 private:
  static void verifyComplete(const astro::graph::GraphLayout& layout, int expectedNodes) {
    QCOMPARE(static_cast<int>(layout.nodes.size()), expectedNodes);
    QCOMPARE(static_cast<int>(layout.edges.size()), expectedNodes - 1);
    std::set<int> ids;
    for (const auto& node : layout.nodes) {
      ids.insert(node.id);
      QVERIFY(node.width > 0 && node.height > 0);
      QVERIFY2(node.x >= 0 && node.x <= layout.width + 0.5, qPrintable(QString::number(node.x)));
      QVERIFY(node.y >= 0 && node.y <= layout.height + 0.5);
      QVERIFY(!node.label.empty());
    }
    QCOMPARE(static_cast<int>(ids.size()), expectedNodes);
    for (const auto& edge : layout.edges) {
      QVERIFY(ids.count(edge.from) && ids.count(edge.to));
      QVERIFY(edge.spline.size() >= 4);
    }
  }

 private Q_SLOTS:
  void dotLayout_of200Nodes_givesCoordinatesForEveryNode() {
    auto tree = astro::test::randomTree(200);
    auto layout = layoutTree(tree, {.engine = LayoutEngine::kDot});
    QVERIFY(layout.has_value());
    QCOMPARE(layout->engine, std::string("dot"));
    verifyComplete(*layout, 200);
    QVERIFY(!layout->pruned);
    // Top to bottom: a child is drawn below its parent.
    const auto& nodes = layout->nodes;
    for (const auto& edge : layout->edges) QVERIFY(nodes[edge.to].y > nodes[edge.from].y);
  }
  void tidyLayout_of200Nodes_givesNonOverlappingRanks() {
    auto tree = astro::test::randomTree(200);
    auto layout = layoutTree(tree, {.engine = LayoutEngine::kTidy});
    QVERIFY(layout.has_value());
    QCOMPARE(layout->engine, std::string("tidy"));
    verifyComplete(*layout, 200);
    const auto& nodes = layout->nodes;
    for (const auto& a : nodes) {
      for (const auto& b : nodes) {
        if (a.id < b.id && a.depth == b.depth) {
          QVERIFY(std::abs(a.x - b.x) >= (a.width + b.width) / 2 - 1e-9);
        }
      }
    }
  }
  void autoEngine_switchesToTidyAboveTheDotLimit() {
    auto tree = astro::test::randomTree(300);
    auto layout = layoutTree(tree, {.dotNodeLimit = 100});
    QCOMPARE(layout->engine, std::string("tidy"));
  }
  void largeTree_isPrunedByVisitsAndStatesTheLimit() {
    auto tree = astro::test::randomTree(500);
    auto layout = layoutTree(tree, {.dot = {.nodeLimit = 50}});
    QVERIFY(layout->pruned);
    QCOMPARE(layout->nodeLimit, 50);
    QCOMPARE(layout->shownNodes, 50);
    QCOMPARE(layout->totalNodes, 500);
    verifyComplete(*layout, 50);
  }
  void pruneByVisits_keepsTheMostVisitedConnectedNodes() {
    astro::search::SearchTree tree("p", "1");
    int a = tree.addChild(0, "a");
    int b = tree.addChild(0, "b");
    int c = tree.addChild(a, "c");
    tree.addChild(b, "d");
    tree.node(a).visits = 10;
    tree.node(b).visits = 3;
    tree.node(c).visits = 9;
    tree.node(4).visits = 50;  // heavily visited, but its parent b loses to a and c
    QCOMPARE(astro::graph::pruneByVisits(tree, 3), (std::vector<int>{0, 1, 3}));
    QCOMPARE(astro::graph::pruneByVisits(tree, 4), (std::vector<int>{0, 1, 2, 3}));
  }
  void setCancelFlag_returnsNothing() {
    auto tree = astro::test::randomTree(200);
    std::atomic<bool> cancel{true};
    QVERIFY(!layoutTree(tree, {}, &cancel).has_value());
    QVERIFY(!layoutTree(tree, {.engine = LayoutEngine::kTidy}, &cancel).has_value());
  }
  void linearizedPath_marksPathOrder() {
    auto tree = astro::test::randomTree(20);
    astro::graph::LayoutOptions options;
    options.linearizedPath = {0, 1, 0, 2};
    auto layout = layoutTree(tree, options);
    QCOMPARE(layout->nodes[0].pathOrder, (std::vector<int>{0, 2}));
    QCOMPARE(layout->nodes[1].pathOrder, (std::vector<int>{1}));
    QCOMPARE(layout->nodes[2].pathOrder, (std::vector<int>{3}));
    QVERIFY(layout->nodes[3].pathOrder.empty());
  }
  void nodeAttributes_comeFromTheTree() {
    auto tree = astro::test::randomTree(50);
    auto layout = layoutTree(tree);
    for (const auto& node : layout->nodes) {
      const auto& source = tree.node(node.id);
      QCOMPARE(node.visits, source.visits);
      QCOMPARE(node.value, source.q());
      QCOMPARE(node.depth, source.depth);
      QCOMPARE(node.terminal, source.terminal);
      QCOMPARE(node.correct, source.correct);
    }
  }
};

QTEST_APPLESS_MAIN(TreeLayoutTest)
#include "tree_layout_test.moc"
