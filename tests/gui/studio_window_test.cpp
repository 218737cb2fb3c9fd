// The studio window over a real workspace written with core/store: side panel rows, overview and
// log of a run, a search tree from a fixture file (layout, node selection, find, collapse), the
// trace of its path, chart exports (PNG/SVG/PDF/CSV), the 2,000-node latency budget, and
// screenshots of every main view under <build>/test-tmp/screenshots/ (the small multiples and
// Compare on workspaces of their own: studio_screenshots_test).
#include <QCheckBox>
#include <QElapsedTimer>
#include <QGraphicsEllipseItem>
#include <QImage>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTreeView>
#include <QtTest>
#include <random>

#include "core/search/tree_json.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"
#include "gui/charts/charts_view.h"
#include "gui/common/run_colors.h"
#include "gui/common/value_table_model.h"
#include "gui/main_window.h"
#include "gui/samples/group_table_model.h"
#include "gui/samples/sample_table_model.h"
#include "gui/samples/samples_view.h"
#include "gui/trace/step_list_model.h"
#include "gui/trace/trace_view.h"
#include "gui/tree/run_tree_list_model.h"
#include "gui/tree/run_tree_panel.h"
#include "gui/tree/tree_view.h"
#include "gui/workspace/event_log_panel.h"
#include "gui/workspace/run_overview_view.h"
#include "gui/workspace/workspace_model.h"
#include "tests/gui/test_output_dir.h"
#include "tests/support/test_support.h"

using namespace astro;
using astro::test::outputDir;

namespace {

const QString kTreeFixture = QStringLiteral(ASTRO_SOURCE_DIR "/tests/gui/data/small_tree.json");


search::SearchTree randomTree(int size, unsigned seed);

// Run 1: search finished, sft running at 40/100, a log line, loss and eval metrics, a checkpoint,
// three stored search trees (2, 7 and 24 nodes). Run 2: an imported run, finished, with its own
// loss curve.
std::filesystem::path makeWorkspace() {
  auto dir = test::freshTempDir("studio-window");
  auto workspace = store::Workspace::open(dir);
  auto run = workspace.runs().create(
      {.name = "astro-llama-sft", .config = "[search]\niterations = 32\n", .host = "local"});
  auto search = workspace.stages().add(run.id, "search");
  workspace.stages().markStarted(search.id);
  workspace.stages().markFinished(search.id, store::StageStatus::kFinished);
  auto sft = workspace.stages().add(run.id, "sft");
  workspace.stages().markStarted(sft.id);
  workspace.runs().updateStatus(run.id, store::RunStatus::kRunning);
  workspace.runs().updateProgress(run.id, "sft", 40, 100);
  workspace.events().appendAll(
      run.id, {{store::EventKind::kStageStarted, {{"stage", "sft"}}},
               {store::EventKind::kProgress, {{"done", 40}, {"total", 100}, {"eta_seconds", 120}}},
               {store::EventKind::kLog, {{"message", "epoch 1 loss 0.52"}}}});
  std::vector<store::MetricPoint> loss, backtracks, accuracy;
  for (int step = 1; step <= 50; ++step) loss.push_back({step, 2.0 / step + 0.1});
  for (int step = 100; step <= 500; step += 100) {
    backtracks.push_back({step, step / 100.0 * 0.8});
    accuracy.push_back({step, 0.30 + step / 100.0 * 0.05 + (step == 300 ? 0.02 : 0.0)});
  }
  workspace.metrics().append(run.id, sft.id, "sft/loss", loss);
  workspace.metrics().append(run.id, std::nullopt, "eval/backtracks", backtracks);
  workspace.metrics().append(run.id, std::nullopt, "eval/accuracy", accuracy);
  workspace.artifacts().add({.runId = run.id,
                             .stageId = sft.id,
                             .kind = "checkpoint",
                             .path = "runs/1/checkpoint-100",
                             .sha256 = std::string(64, 'a'),
                             .sizeBytes = 4096});
  std::filesystem::create_directories(dir / "runs/1");
  std::filesystem::copy_file(kTreeFixture.toStdString(), dir / "runs/1/trees.json");
  workspace.artifacts().add({.runId = run.id,
                             .stageId = search.id,
                             .kind = "trees",
                             .path = "runs/1/trees.json",
                             .sha256 = std::string(64, 'b'),
                             .sizeBytes = 100});
  search::SearchTree tiny("1 + 1 = ?", "2");
  tiny.addChild(0, "One plus one is two. \\boxed{2}", 1.0);
  workspace.trees().saveAll(std::vector{
      search::toNewTree(tiny, run.id, "search", "w-1"),
      search::toNewTree(search::loadTree(kTreeFixture.toStdString()), run.id, "search", "w-2"),
      search::toNewTree(randomTree(24, 11), run.id, "search", "w-3")});
  auto imported =
      workspace.runs().create({.name = "imported-r1", .kind = store::RunKind::kImported});
  workspace.runs().updateStatus(imported.id, store::RunStatus::kFinished);
  std::vector<store::MetricPoint> otherLoss;
  for (int step = 1; step <= 50; ++step) otherLoss.push_back({step, 3.0 / step + 0.2});
  workspace.metrics().append(imported.id, std::nullopt, "sft/loss", otherLoss);
  return dir;
}

// A tree of `size` nodes: each node's parent drawn among the earlier ones (a bushy, deep tree),
// leaves terminal, every fifth leaf correct.
search::SearchTree randomTree(int size, unsigned seed) {
  search::SearchTree tree("random problem", "42");
  std::mt19937 random(seed);
  for (int id = 1; id < size; ++id) {
    int parent = std::uniform_int_distribution<int>(std::max(0, id - 40), id - 1)(random);
    tree.addChild(parent, "step " + std::to_string(id) + " of the random tree", 0.5);
  }
  for (int id = 0; id < size; ++id) {
    auto& node = tree.node(id);
    node.visits = 1 + static_cast<int>(random() % 50);
    node.value = node.visits * ((random() % 100) / 100.0);
    if (id > 0 && node.children.empty()) {
      node.terminal = true;
      node.answer = id % 5 == 0 ? "42" : std::to_string(id);
      node.correct = id % 5 == 0;
    }
  }
  return tree;
}

}  // namespace

class StudioWindowTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings go to a test location
    QCoreApplication::setOrganizationName("AstroStudioTest");
    QCoreApplication::setApplicationName("studio-window-test");
    workspace_ = makeWorkspace();
  }

  void sidePanel_listsRunsWithStatusAndStages() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.show();
    auto* model = window.workspaceModel();
    QTRY_COMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, gui::WorkspaceModel::kName).data().toString(),
             QStringLiteral("#1 astro-llama-sft"));
    QCOMPARE(model->index(0, gui::WorkspaceModel::kStatus).data().toString(),
             QStringLiteral("running (sft)"));
    QCOMPARE(model->index(0, gui::WorkspaceModel::kProgress).data().toString(),
             QStringLiteral("40/100 (40%)"));
    QCOMPARE(model->index(0, gui::WorkspaceModel::kEta).data().toString(),
             QStringLiteral("2 min 0 s"));
    QCOMPARE(model->index(1, gui::WorkspaceModel::kStatus).data().toString(),
             QStringLiteral("finished"));
    window.runTree()->expandAll();
    // 2 stages, then the checkpoint artifact and 5 evaluations (eval/* metrics, one per step).
    QTRY_COMPARE(model->rowCount(model->index(0, 0)), 8);
    QCOMPARE(model->index(1, 0, model->index(0, 0)).data().toString(), QStringLiteral("2. sft"));
    window.findChild<QLineEdit*>("runFilter")->setText("imported");
    QCOMPARE(window.runFilterModel()->rowCount(), 1);
  }

  void selectedRun_fillsOverviewAndFollowsEventLog() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.logPanel()->setPollInterval(50);
    window.show();
    window.selectRun(1);
    QTRY_COMPARE(window.currentRunId(), std::int64_t{1});
    QTRY_VERIFY(window.logPanel()->text().contains("epoch 1 loss 0.52"));
    QCOMPARE(window.logPanel()->lastSeq(), std::int64_t{3});
    auto* overview = window.overviewView();
    QTRY_COMPARE(overview->stageModel()->rowCount(), 2);
    QCOMPARE(overview->stageModel()->index(1, 1).data().toString(), QStringLiteral("sft"));
    QCOMPARE(overview->metricModel()->rowCount(), 3);
    QCOMPARE(overview->metricModel()->index(2, 0).data().toString(), QStringLiteral("sft/loss"));
    QCOMPARE(overview->metricModel()->index(2, 2).data().toDouble(), 2.0 / 50 + 0.1);
    QCOMPARE(overview->artifactModel()->rowCount(), 2);
    QTRY_VERIFY(window.treeView()->isLayoutReady());  // the run's largest stored tree first
    overview->openArtifact(1);  // the search stage's trees
    QTRY_VERIFY(window.treeView()->isLayoutReady());
    QCOMPARE(window.treeView()->scene()->nodeItemCount(), 7);
    QCOMPARE(window.findChild<QPlainTextEdit*>("runConfig")->toPlainText(),
             QStringLiteral("[search]\niterations = 32\n"));
    {
      auto writer = store::Workspace::open(workspace_);
      writer.events().append(1, {store::EventKind::kLog, {{"message", "epoch 2 loss 0.31"}}});
    }
    QTRY_VERIFY(window.logPanel()->text().contains("epoch 2 loss 0.31"));
    QCOMPARE(window.logPanel()->lastSeq(), std::int64_t{4});
  }

  void treeView_opensFixtureAndShowsSelectedStep() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.show();
    auto* tree = window.treeView();
    tree->openFile(kTreeFixture);
    QTRY_VERIFY(tree->isLayoutReady());
    QCOMPARE(tree->scene()->nodeItemCount(), 7);
    // The linearized path visits the wrong answer and backtracks: one dashed return at least.
    QVERIFY(tree->path().backtracks() + tree->path().restarts() >= 1);
    QCOMPARE(tree->path().finalNode(), 5);
    QVERIFY(tree->scene()->dashedPathSegmentCount() >= 1);
    tree->selectNode(5);
    QCOMPARE(tree->scene()->selectedNode(), 5);
    QVERIFY(tree->stepText().startsWith("Divide by 3: x = 4. \\boxed{4}"));
    QVERIFY(tree->stepText().contains("answer 4 (correct)"));
    QVERIFY(tree->findNext("substitution"));
    QCOMPARE(tree->scene()->selectedNode(), 2);
    tree->scene()->toggleCollapsed(1);
    QVERIFY(!tree->scene()->isNodeVisible(5));
    QVERIFY(!tree->scene()->isNodeVisible(3));
    QVERIFY(tree->scene()->isNodeVisible(1));
    tree->scene()->toggleCollapsed(1);
    QVERIFY(tree->scene()->isNodeVisible(5));
    QString svg = outputDir("exports") + "/small_tree.svg";
    QFile::remove(svg);
    QSignalSpy exported(tree, &gui::TreeView::exportFinished);
    tree->exportGraph(graph::ExportFormat::kSvg, svg);  // rendered and written on the pool
    QTRY_COMPARE(exported.size(), 1);
    QCOMPARE(exported[0][1].toString(), QString());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("<svg"));
  }

  void traceView_showsPathTraceWithStepSelectionSync() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.show();
    window.treeView()->openFile(kTreeFixture);
    QTRY_VERIFY(window.treeView()->isLayoutReady());
    Q_EMIT window.treeView()->traceRequested(0);
    auto* trace = window.traceView();
    QTRY_VERIFY(trace->isReady());
    QCOMPARE(window.views()->currentWidget(), trace);
    QVERIFY(trace->graph().backtracks() + trace->graph().restarts() >= 1);
    QVERIFY(trace->verdictText().contains("correct"));
    QVERIFY(trace->verdictText().contains("<b>4</b>"));
    const auto& steps = trace->stepModel()->steps();
    int last = static_cast<int>(steps.size()) - 1;
    trace->selectStep(last);
    QCOMPARE(trace->textView()->textCursor().selectedText(), steps[last].text);
    QTextCursor cursor = trace->textView()->textCursor();
    cursor.setPosition(steps[0].charBegin);
    trace->textView()->setTextCursor(cursor);
    QCOMPARE(trace->selectedStep(), 0);
  }

  void workspacePanel_groupsRunsAndListsCheckpointsAndEvaluations() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.show();
    auto* model = window.workspaceModel();
    QTRY_COMPARE(model->rowCount(), 2);
    window.findChild<QCheckBox*>("groupRuns")->setChecked(true);
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Native runs"));
    QCOMPARE(model->index(1, 0).data().toString(), QStringLiteral("Imported runs"));
    QVERIFY(window.runTree()->isExpanded(window.runTree()->model()->index(0, 0)));
    // Expanding run 1 reads its checkpoint artifact and its evaluations (eval/* metrics, one per
    // step) on a pool thread, after its stages.
    QSignalSpy loaded(model, &gui::WorkspaceModel::runContentsLoaded);
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(window.runTree()->model());
    window.runTree()->expand(proxy->mapFromSource(model->indexOfRun(1)));
    QTRY_COMPARE(loaded.size(), 1);
    auto run = model->indexOfRun(1);
    QStringList names;
    for (int row = 0; row < model->rowCount(run); ++row)
      names << model->index(row, 0, run).data().toString();
    QVERIFY2(names.contains("checkpoint runs/1/checkpoint-100"), qPrintable(names.join(" | ")));
    QVERIFY2(names.contains("eval 300"), qPrintable(names.join(" | ")));
    QCOMPARE(names.filter(QRegularExpression("^eval ")).size(), 5);
    // Selecting a checkpoint row selects its run.
    int row = static_cast<int>(names.indexOf("checkpoint runs/1/checkpoint-100"));
    window.runTree()->setCurrentIndex(proxy->mapFromSource(model->index(row, 0, run)));
    QTRY_COMPARE(window.chartsView()->checkpointPoints().size(), std::size_t{5});
    // The filter still finds runs inside their groups.
    window.findChild<QLineEdit*>("runFilter")->setText("imported");
    QCOMPARE(proxy->rowCount(), 1);
  }

  // Run 1 runs: a checkpoint and an evaluation it writes while the window is open appear under it
  // at the next refresh, without reopening the workspace; each run has its colour.
  void sidePanel_refreshesARunningRunsCheckpointsAndEvaluations() {
    auto folder = makeWorkspace();
    gui::MainWindow window(QString::fromStdString(folder.string()));
    window.show();
    auto* model = window.workspaceModel();
    QTRY_COMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, 0).data(Qt::DecorationRole).value<QColor>(), gui::runColor(1));
    QVERIFY(gui::runColor(1) != gui::runColor(2));
    window.runTree()->expandAll();
    auto run = model->indexOfRun(1);
    QTRY_COMPARE(model->rowCount(run), 8);
    {
      auto writer = store::Workspace::open(folder);
      writer.artifacts().add({.runId = 1,
                              .kind = "checkpoint",
                              .path = "runs/1/checkpoint-200",
                              .sha256 = std::string(64, 'c'),
                              .sizeBytes = 8192});
      writer.metrics().append(1, std::nullopt, "eval/accuracy",
                              std::vector<store::MetricPoint>{{600, 0.61}});
    }
    auto names = [&] {
      QStringList rows;
      auto index = model->indexOfRun(1);
      for (int row = 0; row < model->rowCount(index); ++row)
        rows << model->index(row, 0, index).data().toString();
      return rows;
    };
    QTRY_VERIFY_WITH_TIMEOUT(names().contains("checkpoint runs/1/checkpoint-200"), 10000);
    QTRY_VERIFY(names().contains("eval 600"));
    QCOMPARE(model->rowCount(model->indexOfRun(1)), 10);
  }

  void charts_exportPngSvgPdfCsv() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.resize(1400, 900);
    window.show();
    window.views()->setCurrentWidget(window.chartsView());
    QTRY_COMPARE(window.workspaceModel()->rowCount(), 2);
    window.runTree()->selectAll();
    auto* charts = window.chartsView();
    QTRY_COMPARE(charts->curveCount(), 2);  // sft/loss of both runs, overlaid
    QTRY_COMPARE(charts->checkpointPoints().size(), std::size_t{5});
    QVERIFY(charts->correlationLegend().startsWith("r = 0.99, "));
    QVERIFY(charts->correlationLegend().contains("95% CI ["));
    QString dir = outputDir("exports");
    using Which = gui::ChartsView::Which;
    using Format = gui::ChartsView::Format;
    for (auto [which, name] : {std::pair{Which::kCorrelation, QStringLiteral("correlation")},
                               std::pair{Which::kCurves, QStringLiteral("curves")}}) {
      QString base = dir + "/" + name;
      charts->exportChart(which, Format::kPng, base + ".png");
      charts->exportChart(which, Format::kSvg, base + ".svg");
      charts->exportChart(which, Format::kPdf, base + ".pdf");
      charts->exportChart(which, Format::kCsv, base + ".csv");
      QImage png(base + ".png");
      QCOMPARE(png.size(), QSize(1950, 1200));
      QCOMPARE(qRound(png.dotsPerMeterX() * 0.0254), 300);
      QFile svg(base + ".svg"), pdf(base + ".pdf"), csv(base + ".csv");
      QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
      QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(4) == "%PDF");
      QVERIFY(csv.open(QIODevice::ReadOnly));
      QByteArray header = csv.readLine();
      QCOMPARE(header, which == Which::kCorrelation
                           ? QByteArray("series,mean_backtracks,accuracy\r\n")
                           : QByteArray("series,step,value\r\n"));
      if (which == Which::kCorrelation) {
        QCOMPARE(csv.readLine(), QByteArray("checkpoints,0.8,0.35\r\n"));
      }
    }
    charts->exportChart(Which::kCurves, Format::kPng, dir + "/curves_small.png",
                        {.pixels = QSize(800, 500), .dpi = 96});
    QCOMPARE(QImage(dir + "/curves_small.png").size(), QSize(800, 500));
  }

  void importedGenerations_fillSamplesTableAndCorrelation() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.show();
    window.chartsView()->importGenerations(
        QStringLiteral(ASTRO_SOURCE_DIR "/tests/gui/data/generations.jsonl"));
    auto* samples = window.samplesView();
    QTRY_COMPARE(samples->sampleModel()->totalSamples(), 9);
    QCOMPARE(samples->proxyModel()->rowCount(), 9);
    // Three checkpoints: accuracy 1/3, 2/3, 1 as backtracks go 0, 1, 1.
    const auto& points = window.chartsView()->checkpointPoints();
    QCOMPARE(points.size(), std::size_t{3});
    QCOMPARE(points[0].label, QStringLiteral("100"));
    QCOMPARE(points[0].backtracks, 0.0);
    QCOMPARE(points[2].accuracy, 1.0);
    QCOMPARE(samples->groupModel()->rowCount(), 9);  // 3 problems x 3 checkpoints, 1 rollout
    samples->selectGroup(0);
    QCOMPARE(samples->proxyModel()->rowCount(), 3);  // p0 at each checkpoint
    samples->setFilterText("wrong");
    QCOMPARE(samples->proxyModel()->rowCount(), 3);
    samples->activateRow(0);
    QTRY_VERIFY(window.traceView()->isReady());
    QCOMPARE(window.views()->currentWidget(), window.traceView());
    QVERIFY(window.traceView()->verdictText().contains("wrong"));
  }

  void treeView_shows2000NodesWithoutBlockingGuiThread() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.show();
    window.views()->setCurrentWidget(window.treeView());
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto tree = randomTree(2000, 7);
    QElapsedTimer sinceTick;
    qint64 maxGapMs = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, [&] { maxGapMs = std::max(maxGapMs, sinceTick.restart()); });
    sinceTick.start();
    ticker.start();
    QElapsedTimer clock;
    clock.start();
    window.treeView()->showTrees({tree}, "random-2000.json");
    QTRY_VERIFY_WITH_TIMEOUT(window.treeView()->isLayoutReady(), 10000);
    qint64 shownMs = clock.elapsed();
    QTest::qWait(100);  // the first paint of the new scene counts too
    ticker.stop();
    qInfo("2000-node tree shown in %lld ms (view's own clock %lld ms); max GUI-thread gap %lld ms",
          shownMs, window.treeView()->lastShowMilliseconds(), maxGapMs);
    QCOMPARE(window.treeView()->scene()->nodeItemCount(), 2000);
    QVERIFY(window.saveScreenshot(outputDir("screenshots") + "/tree_2000.png"));
    // Loose bounds that still catch a layout on the GUI thread (seconds for 2,000 nodes) without
    // failing on a loaded CI machine: the figures to watch are the ones printed above (about 0.3 s
    // and 40-190 ms here); the layout itself is timed by tests/benchmarks/graph/bench_layout.
    QVERIFY2(shownMs <= 10000, qPrintable(QStringLiteral("shown after %1 ms").arg(shownMs)));
    QVERIFY2(maxGapMs <= 1000, qPrintable(QStringLiteral("GUI blocked %1 ms").arg(maxGapMs)));
  }

  void screenshots_saveEveryMainView() {
    gui::MainWindow window(QString::fromStdString(workspace_.string()));
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.selectRun(1);
    QTRY_COMPARE(window.overviewView()->stageModel()->rowCount(), 2);
    window.chartsView()->importGenerations(
        QStringLiteral(ASTRO_SOURCE_DIR "/tests/gui/data/generations.jsonl"));
    QTRY_COMPARE(window.samplesView()->sampleModel()->totalSamples(), 9);
    window.runTree()->selectAll();  // the runs' eval metrics take the correlation chart back
    QTRY_COMPARE(window.chartsView()->checkpointPoints().size(), std::size_t{5});
    QTRY_COMPARE(window.chartsView()->curveCount(), 2);
    // The tree view opens run 1 on its largest stored tree (24 nodes, of 2, 7 and 24).
    QTRY_VERIFY(window.treeView()->isLayoutReady());
    QCOMPARE(window.treeView()->currentTree()->size(), 24);
    QCOMPARE(window.treeView()->runTreePanel()->model()->rowCount(), 3);
    Q_EMIT window.treeView()->traceRequested(0);
    QTRY_VERIFY(window.traceView()->isReady());
    QString dir = outputDir("screenshots");
    const QStringList names = {"overview", "tree", "trace", "charts", "samples"};
    for (int tab = 0; tab < names.size(); ++tab) {
      window.views()->setCurrentIndex(tab);
      if (tab == 1) window.treeView()->selectNode(window.treeView()->path().finalNode());
      QTest::qWait(150);
      QString path = dir + "/" + names[tab] + ".png";
      QVERIFY(window.saveScreenshot(path));
      QCOMPARE(QImage(path).size(), window.size() * window.devicePixelRatio());
    }
  }

  // Charts > Training curves as small multiples, on a workspace shaped like a pipeline's (the
  // metric names and step counts the miniature pipeline logs: pretraining over 2,750 steps, SFT
  // over 456, RL over 8, one-point search and linearize metrics): one chart per metric grouped
  // by stage, three runs overlaid in their colours.
 private:
  std::filesystem::path workspace_;
};

QTEST_MAIN(StudioWindowTest)
#include "studio_window_test.moc"
