// The studio's item models under QAbstractItemModelTester (workspace runs/stages, value tables,
// trace steps) and the pure helpers behind the charts (EMA, least squares, metric pairing, CSV).
#include <QAbstractItemModelTester>
#include <QThread>
#include <QtTest>
#include <atomic>

#include "core/analysis/heuristic_detector.h"
#include "gui/charts/checkpoint_points.h"
#include "gui/common/value_table_model.h"
#include "gui/samples/group_table_model.h"
#include "gui/samples/sample_table_model.h"
#include "gui/trace/step_list_model.h"
#include "gui/workspace/workspace_model.h"

using astro::gui::WorkspaceModel;

namespace {

astro::gui::WorkspaceSnapshot snapshotWithTwoRuns() {
  astro::gui::WorkspaceSnapshot snapshot;
  astro::gui::RunSummary first;
  first.run.id = 1;
  first.run.name = "astro-llama";
  first.run.status = astro::store::RunStatus::kRunning;
  first.run.currentStage = "sft";
  first.run.progressDone = 25;
  first.run.progressTotal = 100;
  first.etaSeconds = 90;
  for (int i = 0; i < 3; ++i) {
    astro::store::Stage stage;
    stage.id = 10 + i;
    stage.runId = 1;
    stage.position = i + 1;
    stage.kind = std::vector<std::string>{"search", "sft", "rl"}[i];
    first.stages.push_back(stage);
  }
  astro::gui::RunSummary second;
  second.run.id = 2;
  second.run.name = "imported-r1";
  second.run.status = astro::store::RunStatus::kFinished;
  snapshot.runs = {first, second};
  return snapshot;
}

}  // namespace

class GuiModelsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void workspaceModel_passesModelTesterThroughFetchAndReset() {
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(snapshotWithTwoRuns());
    auto run = model.index(0, 0);
    QVERIFY(model.hasChildren(run));
    model.fetchMore(run);  // the tester may have asked already; rows come from the event loop
    QTRY_COMPARE(model.rowCount(model.index(0, 0)), 3);
    QCOMPARE(model.index(1, 0, run).data().toString(), QStringLiteral("2. sft"));
    model.setSnapshot(snapshotWithTwoRuns());
    QCOMPARE(model.rowCount(model.index(0, 0)), 3);  // stays expanded across refreshes
    QTest::qWait(10);
    QVERIFY(!model.hasChildren(model.index(1, 0)));
  }
  void workspaceModel_groupsRunsByKindUnderModelTester() {
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto snapshot = snapshotWithTwoRuns();
    snapshot.runs[1].run.kind = astro::store::RunKind::kImported;
    model.setSnapshot(snapshot);
    model.setGroupedByKind(true);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Native runs"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Imported runs"));
    QCOMPARE(model.index(0, 0).data(WorkspaceModel::kRunIdRole).toLongLong(), 0);
    auto imported = model.indexOfRun(2);
    QCOMPARE(imported.parent(), model.index(1, 0));
    QCOMPARE(imported.data().toString(), QStringLiteral("#2 imported-r1"));
    auto run = model.indexOfRun(1);
    model.fetchMore(run);
    QTRY_COMPARE(model.rowCount(model.indexOfRun(1)), 3);
    auto stage = model.index(2, 0, model.indexOfRun(1));
    QCOMPARE(stage.data().toString(), QStringLiteral("3. rl"));
    QCOMPARE(stage.parent(), model.indexOfRun(1));
    QCOMPARE(stage.data(WorkspaceModel::kRunIdRole).toLongLong(), 1);
    model.setSnapshot(snapshot);  // a refresh keeps groups and the fetched stages
    QCOMPARE(model.rowCount(model.indexOfRun(1)), 3);
    model.setGroupedByKind(false);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.indexOfRun(2), model.index(1, 0));
    QCOMPARE(model.rowCount(model.index(0, 0)), 3);
  }
  void workspaceModel_readsCheckpointsAndEvaluationsOffTheGuiThread() {
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto* gui = QThread::currentThread();
    std::atomic<int> offGuiReads{0};
    model.setContentsReader([&](std::int64_t runId) {
      if (QThread::currentThread() != gui) ++offGuiReads;
      astro::gui::RunContents contents{.runId = runId};
      if (runId == 1) {
        contents.checkpoints = {{.name = "runs/1/sft/model", .detail = "model · 1.0 MiB"}};
        contents.evaluations = {
            {.checkpoint = "sft", .benchmark = "gsm8k", .samples = 40, .correct = 12},
            {.checkpoint = "rl", .benchmark = "gsm8k", .accuracy = 0.5}};
      }
      return contents;
    });
    model.setSnapshot(snapshotWithTwoRuns());
    auto run = model.index(0, 0);
    model.fetchMore(run);
    QTRY_COMPARE(model.rowCount(model.index(0, 0)), 6);  // 3 stages, 1 checkpoint, 2 evaluations
    QVERIFY(offGuiReads >= 1);
    run = model.index(0, 0);
    QCOMPARE(model.index(3, 0, run).data().toString(),
             QStringLiteral("checkpoint runs/1/sft/model"));
    QCOMPARE(model.index(3, 0, run).data(WorkspaceModel::kRowKindRole).toInt(),
             static_cast<int>(WorkspaceModel::RowKind::kCheckpoint));
    QCOMPARE(model.index(4, 0, run).data().toString(), QStringLiteral("eval sft on gsm8k"));
    QCOMPARE(model.index(4, WorkspaceModel::kProgress, run).data().toString(),
             QStringLiteral("12/40 correct"));
    QCOMPARE(model.index(5, WorkspaceModel::kStatus, run).data().toString(),
             QStringLiteral("accuracy 0.500"));
    // A run with no stages may still have contents: it is expandable until they are read (the
    // tester has fetched it by now), then shows none.
    model.fetchMore(model.index(1, 0));
    QTRY_VERIFY(!model.hasChildren(model.index(1, 0)));
    QCOMPARE(model.rowCount(model.index(1, 0)), 0);
    model.setSnapshot(snapshotWithTwoRuns());
    QCOMPARE(model.rowCount(model.index(0, 0)), 6);  // contents kept across refreshes
    WorkspaceModel unread;
    unread.setContentsReader([](std::int64_t runId) { return astro::gui::RunContents{runId}; });
    unread.setSnapshot(snapshotWithTwoRuns());
    QVERIFY(unread.hasChildren(unread.index(1, 0)));  // no stages, contents not read yet
  }
  // A running run's checkpoints and evaluations are read again with each snapshot (the side panel
  // refreshes every few seconds), its rows replaced under the tester; a finished run's row that
  // did not change is not read again.
  void workspaceModel_rereadsARunningRunsContentsWithEachSnapshot() {
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::atomic<int> checkpoints{1};
    std::atomic<int> finishedReads{0};
    model.setContentsReader([&](std::int64_t runId) {
      astro::gui::RunContents contents{.runId = runId};
      if (runId == 2) ++finishedReads;
      for (int i = 0; runId == 1 && i < checkpoints; ++i) {
        contents.checkpoints.push_back({.name = QStringLiteral("checkpoint-%1").arg(i + 1)});
      }
      return contents;
    });
    model.setSnapshot(snapshotWithTwoRuns());
    model.fetchMore(model.index(0, 0));
    model.fetchMore(model.index(1, 0));
    QTRY_COMPARE(model.rowCount(model.index(0, 0)), 4);  // 3 stages, 1 checkpoint
    QTRY_COMPARE(finishedReads.load(), 1);
    checkpoints = 3;  // the running run wrote two more
    model.setSnapshot(snapshotWithTwoRuns());
    QTRY_COMPARE(model.rowCount(model.index(0, 0)), 6);
    QCOMPARE(model.index(5, 0, model.index(0, 0)).data().toString(),
             QStringLiteral("checkpoint checkpoint-3"));
    QTest::qWait(20);
    QCOMPARE(finishedReads.load(), 1);
  }
  void workspaceModel_showsStatusProgressAndEta() {
    WorkspaceModel model;
    model.setSnapshot(snapshotWithTwoRuns());
    QCOMPARE(model.index(0, WorkspaceModel::kName).data().toString(),
             QStringLiteral("#1 astro-llama"));
    QCOMPARE(model.index(0, WorkspaceModel::kStatus).data().toString(),
             QStringLiteral("running (sft)"));
    QCOMPARE(model.index(0, WorkspaceModel::kProgress).data().toString(),
             QStringLiteral("25/100 (25%)"));
    QCOMPARE(model.index(0, WorkspaceModel::kEta).data().toString(), QStringLiteral("1 min 30 s"));
    QCOMPARE(model.index(1, 0).data(WorkspaceModel::kRunIdRole).toLongLong(), 2);
    QCOMPARE(model.indexOfRun(2).row(), 1);
  }
  void valueTableModel_passesModelTesterAndWritesCsv() {
    astro::gui::ValueTableModel model({"name", "value"});
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({{QStringLiteral("sft/loss"), 0.5}, {QStringLiteral("a,\"b\""), 2.0}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(astro::gui::modelToCsv(model),
             QStringLiteral("name,value\r\nsft/loss,0.5\r\n\"a,\"\"b\"\"\",2\r\n"));
  }
  void stepListModel_passesModelTesterAndMapsPositions() {
    std::string trace =
        "First, 2 + 2 = 5.\n\nWait, that is wrong. Let me go back.\n\nSo 2 + 2 = 4. \\boxed{4}";
    astro::analysis::HeuristicDetector detector;
    auto graph = detector.detect(trace);
    astro::gui::StepListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setGraph(graph, trace);
    QCOMPARE(model.rowCount(), static_cast<int>(graph.steps.size()));
    QVERIFY(model.rowCount() >= 2);
    QCOMPARE(model.stepAt(0), 0);
    int last = model.rowCount() - 1;
    QCOMPARE(model.stepAt(model.steps()[last].charBegin), last);
  }
  void charPosition_countsUtf16UnitsOfUtf8Prefix() {
    std::string text = "é = 1";  // é is two UTF-8 bytes, one UTF-16 unit
    QCOMPARE(astro::gui::charPosition(text, 2), 1);
    QCOMPARE(astro::gui::charPosition(text, 100), 5);
  }
  void sampleTableModel_passesModelTesterAndFetchesInBatches() {
    auto samples = std::make_shared<std::vector<astro::analysis::ImportedSample>>();
    for (int i = 0; i < 600; ++i) {
      astro::analysis::ImportedSample sample;
      sample.line = i + 1;
      sample.problemId = "p" + std::to_string(i);
      sample.stats.backtracks = i % 7;
      sample.stats.correct = i % 2 == 0;
      samples->push_back(sample);
    }
    astro::gui::SampleTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSamples(samples);
    QCOMPARE(model.totalSamples(), 600);
    QCOMPARE(model.rowCount(), astro::gui::SampleTableModel::kBatch);
    for (int batch = 0; batch < 4 && model.rowCount() < 600; ++batch) {
      model.fetchMore({});
      QTest::qWait(5);
    }
    QCOMPARE(model.rowCount(), 600);
    QCOMPARE(model.index(3, astro::gui::SampleTableModel::kVerdict).data().toString(),
             QStringLiteral("wrong"));
    QCOMPARE(model.index(6, astro::gui::SampleTableModel::kBacktracks).data().toInt(), 6);
  }
  void groupTableModel_passesModelTesterAndFlagsZeroAdvantageGroups() {
    std::vector<astro::analysis::ImportedSample> samples;
    auto add = [&](std::string checkpoint, std::string problem, bool correct, int backtracks) {
      astro::analysis::ImportedSample sample;
      sample.checkpoint = std::move(checkpoint);
      sample.problemId = std::move(problem);
      sample.stats.correct = correct;
      sample.stats.backtracks = backtracks;
      samples.push_back(sample);
    };
    add("100", "p0", true, 1);
    add("100", "p0", false, 3);
    add("100", "p1", true, 0);
    add("100", "p1", true, 2);
    add("200", "p0", false, 0);
    auto groups = astro::gui::groupSamples(samples);
    QCOMPARE(groups.size(), std::size_t{3});
    QCOMPARE(groups[0].rollouts, 2);
    QCOMPARE(groups[0].rewardMean, 0.5);
    QCOMPARE(groups[0].rewardStd, 0.5);
    QCOMPARE(groups[0].meanBacktracks, 2.0);
    QVERIFY(!groups[0].zeroAdvantage());
    QVERIFY(groups[1].zeroAdvantage());
    QCOMPARE(groups[2].checkpoint, std::string("200"));
    astro::gui::GroupTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setGroups(groups);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(1, astro::gui::GroupTableModel::kSignal).data().toString(),
             QStringLiteral("none (all equal)"));
    QCOMPARE(model.index(0, astro::gui::GroupTableModel::kCorrect).data().toString(),
             QStringLiteral("1/2"));
  }
  void exponentialMovingAverage_matchesRecurrence() {
    auto smoothed = astro::gui::exponentialMovingAverage({1.0, 3.0, 3.0}, 0.5);
    QCOMPARE(smoothed, (std::vector<double>{1.0, 2.0, 2.5}));
    QCOMPARE(astro::gui::exponentialMovingAverage({1.0, 3.0}, 0.0),
             (std::vector<double>{1.0, 3.0}));
  }
  void leastSquares_fitsExactLine() {
    auto line = astro::gui::leastSquares({{"a", 1, 3}, {"b", 2, 5}, {"c", 4, 9}});
    QVERIFY(line.valid);
    QCOMPARE(line.slope, 2.0);
    QCOMPARE(line.intercept, 1.0);
    QVERIFY(!astro::gui::leastSquares({{"a", 1, 3}, {"b", 1, 5}}).valid);
  }
  void pointsFromMetrics_pairsBacktracksAndAccuracyByStep() {
    std::vector<astro::gui::MetricSeries> series = {
        {.runId = 3, .name = "eval/backtracks", .points = {{100, 0.5}, {200, 1.5}, {300, 2.0}}},
        {.runId = 3, .name = "eval/accuracy", .points = {{100, 0.3}, {200, 0.4}}},
        {.runId = 3, .name = "rl/reward", .points = {{100, 9.0}}}};
    auto points = astro::gui::pointsFromMetrics(series);
    QCOMPARE(points.size(), std::size_t{2});
    QCOMPARE(points[1].label, QStringLiteral("run 3 step 200"));
    QCOMPARE(points[1].backtracks, 1.5);
    QCOMPARE(points[1].accuracy, 0.4);
  }
};

QTEST_MAIN(GuiModelsTest)
#include "gui_models_test.moc"
