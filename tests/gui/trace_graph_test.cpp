// The Trace view's step graph: laid out on a pool thread after the text is shown, one node per
// step coloured by role, backtrack and restart edges dashed; a node click selects the step in the
// list and its text, and moving the text cursor or the list selects the node; it zooms and fits
// like the tree and draws arrowheads; exports run on the pool and can be cancelled.
#include <QAction>
#include <QApplication>
#include <QGraphicsRectItem>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QToolBar>
#include <QWheelEvent>
#include <QtTest>

#include "gui/common/export_progress.h"
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

  // The step graph exports like the tree: DOT, SVG, PDF and PNG files with valid headers, each
  // rendered and written on the pool; exportFinished tells how it went.
  void stepGraph_exportsEveryFormatOffTheGuiThread() {
    TraceView view;
    QSignalSpy finished(&view, &TraceView::exportFinished);
    view.exportGraph(astro::graph::ExportFormat::kDot, "/nonexistent");
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished[0][1].toString(), QStringLiteral("no trace is shown"));
    view.showTrace("heuristic", kTrace, astro::gui::DetectorChoice::kHeuristic, true);
    QTRY_VERIFY(view.isReady());
    QTemporaryDir dir;
    const std::pair<astro::graph::ExportFormat, QByteArray> formats[] = {
        {astro::graph::ExportFormat::kDot, "digraph"},
        {astro::graph::ExportFormat::kSvg, "<svg"},
        {astro::graph::ExportFormat::kPdf, "%PDF"},
        {astro::graph::ExportFormat::kPng, "\x89PNG"}};
    for (const auto& [format, marker] : formats) {
      finished.clear();
      const QString path = dir.filePath(
          QString::fromStdString("steps." + astro::graph::exportFormatName(format)));
      view.exportGraph(format, path);
      QVERIFY(view.exportProgress()->isRunning());  // nothing was rendered on this thread
      QVERIFY(!QFile::exists(path));
      QTRY_COMPARE(finished.size(), 1);
      QCOMPARE(finished[0][0].toString(), path);
      QCOMPARE(finished[0][1].toString(), QString());
      QFile file(path);
      QVERIFY(file.open(QIODevice::ReadOnly));
      QVERIFY2(file.read(4096).contains(marker), qPrintable(path));
    }
    finished.clear();
    view.exportGraph(astro::graph::ExportFormat::kSvg, "/nonexistent-folder/steps.svg");
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(!finished[0][1].toString().isEmpty());  // the write's error, not a silent nothing
  }

  // Cancel stops an export before its write: the file never appears, finished says so once.
  void exportProgress_cancelWritesNothing() {
    QTemporaryDir dir;
    const QString path = dir.filePath("slow.txt");
    astro::gui::ExportProgress progress;
    QSignalSpy finished(&progress, &astro::gui::ExportProgress::finished);
    std::atomic<bool> sawCancel = false;
    progress.start("slow", path, [&sawCancel](const std::atomic<bool>& cancel) {
      while (!cancel) QThread::msleep(5);  // a render that takes until it is cancelled
      sawCancel = true;
      return std::string("never written");
    });
    QVERIFY(progress.isRunning());
    QVERIFY(!progress.isHidden());  // the busy bar and Cancel show while it runs
    QTest::qWait(30);
    progress.findChild<QPushButton*>("exportCancel")->click();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished[0][1].toString(), QStringLiteral("cancelled"));
    QVERIFY(!progress.isRunning());
    QTRY_VERIFY(sawCancel.load());
    QTest::qWait(50);
    QCOMPARE(finished.size(), 1);
    QVERIFY(!QFile::exists(path));
  }

  // The step graph zooms (wheel and buttons) and fits like the tree, and its edges carry
  // arrowheads.
  void stepGraph_zoomsFitsAndDrawsArrowheads() {
    TraceView view;
    view.resize(1200, 800);
    view.show();
    view.showTrace("heuristic", kTrace, astro::gui::DetectorChoice::kHeuristic, true);
    QTRY_VERIFY(view.isGraphReady());
    auto* graph = view.graphView();
    QVERIFY(graph->arrowHeadCount() >= graph->nodeCount() - 1);  // every edge, continues included
    const double fitted = graph->zoom();
    QVERIFY(fitted >= 0.5 && fitted <= 1.5);
    QWheelEvent wheel(QPointF(50, 50), graph->mapToGlobal(QPointF(50, 50)), QPoint(),
                      QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(graph->viewport(), &wheel);
    QCOMPARE(graph->zoom(), fitted * 1.2);
    auto* tools = view.findChild<QToolBar*>("traceGraphTools");
    QVERIFY(tools);
    QAction* zoomIn = nullptr;
    QAction* fit = nullptr;
    for (QAction* action : tools->actions()) {
      if (action->text() == "Zoom in") zoomIn = action;
      if (action->text() == "Fit") fit = action;
    }
    QVERIFY(zoomIn && fit);
    zoomIn->trigger();
    QVERIFY(qAbs(graph->zoom() - fitted * 1.2 * 1.25) < 1e-9);
    fit->trigger();
    QVERIFY(qAbs(graph->zoom() - fitted) < 1e-9);
  }
};

QTEST_MAIN(TraceGraphTest)
#include "trace_graph_test.moc"
