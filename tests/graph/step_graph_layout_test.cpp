// A trace's step graph drawn: every step laid out, every edge kept with its kind, back edges
// marked so they do not reorder the steps.
#include "core/graph/step_graph_layout.h"

#include <QtTest>

#include "core/analysis/heuristic_detector.h"

namespace {
const std::string kTrace =
    "Step 1: Let x be the number.\n\n"
    "Step 2: Then 2x + 3 = 11, so x = 5.\n\n"
    "Wait, 2 * 5 + 3 = 13. Going back to step 2.\n\n"
    "So 2x = 8 and x = 4.\n\n"
    "Let me start over.\n\n"
    "x = (11 - 3) / 2 = \\boxed{4}";
}

class StepGraphLayoutTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void stepGraphDot_marksEdgeKindsAndBackEdges() {
    auto graph = astro::analysis::HeuristicDetector().detect(kTrace);
    std::string dot = astro::graph::stepGraphToDot(graph, kTrace);
    QVERIFY(dot.find("n2 -> n1 [class=\"backtracks\", color=\"#e65100\", constraint=false];") !=
            std::string::npos);
    QVERIFY(dot.find("n1 -> n3 [class=\"continues\"];") != std::string::npos);
    QVERIFY(dot.find("n4 -> n5 [class=\"restarts\"") != std::string::npos);
    QVERIFY(dot.find("label=\"#2 backtrack to #1\\nWait, 2 * 5 + 3 = 13.") != std::string::npos);
  }
  void layoutStepGraph_placesEveryStepWithEdgeKinds() {
    auto graph = astro::analysis::HeuristicDetector().detect(kTrace);
    auto layout = astro::graph::layoutStepGraph(graph, kTrace);
    QVERIFY(layout.has_value());
    QCOMPARE(layout->nodes.size(), graph.steps.size());
    QCOMPARE(layout->edges.size(), graph.edges.size());
    for (const auto& node : layout->nodes) QVERIFY(node.width > 0 && node.y >= 0);
    QCOMPARE(layout->nodes[2].role, std::string("backtrack"));
    int backtrackEdges = 0;
    for (const auto& edge : layout->edges) {
      QVERIFY(!edge.kind.empty());
      QVERIFY(edge.spline.size() >= 4);
      backtrackEdges += edge.kind == "backtracks";
    }
    QCOMPARE(backtrackEdges, 1);
    // Text order is kept top to bottom.
    QVERIFY(layout->nodes[0].y < layout->nodes[1].y);
    QVERIFY(layout->nodes[1].y < layout->nodes[2].y);
  }
  void cancelledLayout_returnsNothing() {
    auto graph = astro::analysis::HeuristicDetector().detect(kTrace);
    std::atomic<bool> cancel{true};
    QVERIFY(!astro::graph::layoutStepGraph(graph, kTrace, {}, &cancel).has_value());
  }
};

QTEST_APPLESS_MAIN(StepGraphLayoutTest)
#include "step_graph_layout_test.moc"
