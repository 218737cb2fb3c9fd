// The Trace view's step graph: laid out on a pool thread after the text is shown, one node per
// step coloured by role, backtrack and restart edges dashed; a node click selects the step in the
// list and its text, and moving the text cursor or the list selects the node.
#include <QGraphicsRectItem>
#include <QListView>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/trace/step_graph_view.h"
#include "gui/trace/step_list_model.h"
#include "gui/trace/trace_view.h"

using astro::gui::TraceView;

namespace {

const char* kTrace =
    "Step 1: Let x be the number.\n\n"
    "Step 2: Then 2x + 3 = 11, so x = 5.\n\n"
    "Wait, 2 * 5 + 3 = 13, not 11. Let me re-check.\n\n"
    "Going back to step 2, we have 2x = 8.\n\n"
    "So x = 4.\n\n"
    "Alternatively, subtract 3 first: 2x = 8.\n\n"
    "Hmm, that is the same thing. Let me start over from scratch.\n\n"
    "Let x = 4; check: 2 * 4 + 3 = 11. The answer is \\boxed{4}.";

}  // namespace

class TraceGraphTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void stepGraph_isDrawnAndSelectsBothWays() {
    TraceView view;
    view.resize(1200, 800);
    view.show();
    view.showTrace("heuristic", kTrace, astro::gui::DetectorChoice::kHeuristic, true);
    QTRY_VERIFY(view.isGraphReady());
    auto* graph = view.graphView();
    const int steps = static_cast<int>(view.graph().steps.size());
    QVERIFY(steps >= 5);
    QCOMPARE(graph->nodeCount(), steps);
    QCOMPARE(graph->dashedEdgeCount(), view.graph().backtracks() + view.graph().restarts());
    QVERIFY(graph->dashedEdgeCount() >= 1);

    // A click on a node selects its step in the list and its text.
    const int target = steps - 2;
    auto* node = graph->nodeItem(target);
    QVERIFY(node);
    graph->centerOn(node);
    QPoint at = graph->mapFromScene(node->scenePos());
    QTest::mouseClick(graph->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(graph->selectedStep(), target);
    QCOMPARE(view.selectedStep(), target);
    QCOMPARE(view.textView()->textCursor().selectedText(),
             view.stepModel()->steps()[static_cast<std::size_t>(target)].text);

    // Moving the text cursor selects the node.
    QTextCursor cursor = view.textView()->textCursor();
    cursor.setPosition(view.stepModel()->steps()[1].charBegin);
    view.textView()->setTextCursor(cursor);
    QCOMPARE(view.selectedStep(), 1);
    QCOMPARE(graph->selectedStep(), 1);

    // Selecting in the list selects the node.
    view.stepView()->setCurrentIndex(view.stepModel()->index(0));
    QCOMPARE(graph->selectedStep(), 0);

    // A new trace replaces the graph.
    view.showTrace("short", "One step.\n\nThe answer is \\boxed{1}.",
                   astro::gui::DetectorChoice::kHeuristic, std::nullopt);
    QTRY_VERIFY(view.isGraphReady());
    QCOMPARE(graph->nodeCount(), static_cast<int>(view.graph().steps.size()));
    QCOMPARE(graph->dashedEdgeCount(), 0);
  }

  // The step graph exports like the tree: DOT, SVG, PDF and PNG files with valid headers.
  void stepGraph_exportsEveryFormat() {
    TraceView view;
    QVERIFY_THROWS_EXCEPTION(std::exception,
                             view.exportGraph(astro::graph::ExportFormat::kDot, "/nonexistent"));
    view.showTrace("heuristic", kTrace, astro::gui::DetectorChoice::kHeuristic, true);
    QTRY_VERIFY(view.isReady());
    QTemporaryDir dir;
    const std::pair<astro::graph::ExportFormat, QByteArray> formats[] = {
        {astro::graph::ExportFormat::kDot, "digraph"},
        {astro::graph::ExportFormat::kSvg, "<svg"},
        {astro::graph::ExportFormat::kPdf, "%PDF"},
        {astro::graph::ExportFormat::kPng, "\x89PNG"}};
    for (const auto& [format, marker] : formats) {
      const QString path = dir.filePath(
          QString::fromStdString("steps." + astro::graph::exportFormatName(format)));
      view.exportGraph(format, path);
      QFile file(path);
      QVERIFY(file.open(QIODevice::ReadOnly));
      QVERIFY2(file.read(4096).contains(marker), qPrintable(path));
    }
  }
};

QTEST_MAIN(TraceGraphTest)
#include "trace_graph_test.moc"
