// The Compare view over a real store written with core/store: the config diff (a changed nested
// key, a key one run lacks, nothing else), stage timings from exact stage times, the evaluation
// table's pass@1 and bootstrap intervals from stored evaluation samples, a superseded read
// dropped, the hint below two runs, and read errors shown (corrupt store, unknown run, a config
// that does not parse). Every model runs under QAbstractItemModelTester.
#include "gui/compare/compare_view.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QtTest>
#include <fstream>

#include "core/analysis/bootstrap.h"
#include "core/analysis/config_diff.h"
#include "core/analysis/imported_run.h"
#include "core/analysis/run_comparison.h"
#include "core/store/workspace.h"
#include "gui/charts/curves_panel.h"
#include "gui/compare/config_diff_model.h"
#include "gui/compare/eval_table_model.h"
#include "gui/compare/stage_timing_model.h"
#include "gui/main_window.h"
#include "gui/workspace/workspace_model.h"
#include "tests/support/test_support.h"

using namespace astro;
using Section = gui::CompareView::Section;

namespace {

const std::string kConfigA =
    "[run]\nname = \"tiny\"\nseed = 3\n\n[sft]\nlearning_rate = 1e-3\nepochs = 2\n\n"
    "[sft.schedule]\nwarmup_steps = 5\nkind = \"cosine\"\n\n[evaluate]\nsamples = 2\n";
// Differs from A in one nested key (sft.schedule.warmup_steps) and lacks evaluate.samples.
const std::string kConfigB =
    "[run]\nname = \"tiny\"\nseed = 3\n\n[sft]\nlearning_rate = 1e-3\nepochs = 2\n\n"
    "[sft.schedule]\nwarmup_steps = 10\nkind = \"cosine\"\n\n[evaluate]\n";

store::Timestamp at(double seconds) {
  return store::fromMilliseconds(1'800'000'000'000 + static_cast<std::int64_t>(seconds * 1000));
}

void addStage(store::Workspace& workspace, std::int64_t runId, const std::string& kind,
              store::StageStatus status, std::optional<double> start, std::optional<double> end) {
  auto stage = workspace.stages().add(runId, kind);
  store::Stage times = stage;
  times.status = status;
  if (start) times.started = at(*start);
  if (end) times.finished = at(*end);
  workspace.stages().mirror(stage.id, times);
}

// Per problem `correct[p]` of `k` samples right, plus a greedy answer that is always right (and
// must be left out of pass@1).
void addEvaluation(store::Workspace& workspace, std::int64_t runId, const std::string& checkpoint,
                   const std::vector<int>& correct, int k) {
  std::vector<store::SampleRow> rows;
  for (std::size_t p = 0; p < correct.size(); ++p) {
    for (int sample = -1; sample < k; ++sample) {
      rows.push_back({.problemId = "p" + std::to_string(p),
                      .sampleIndex = sample,
                      .completion = "\\boxed{1}",
                      .correct = sample < 0 || sample < correct[p]});
    }
  }
  workspace.samples().add({.runId = runId,
                           .kind = store::SampleKind::kEval,
                           .checkpoint = checkpoint,
                           .benchmark = "world-test"},
                          rows);
}

// An imported run (core/analysis imported_run.h) of world-test at checkpoint sft: problem p0 right
// in both samples, p1 in one of two.
void addImportedRun(store::Workspace& workspace) {
  analysis::ImportResult imported{.run = {.name = "other-system.jsonl"}};
  for (auto [problem, correct] :
       {std::pair{"p0", true}, {"p0", true}, {"p1", true}, {"p1", false}}) {
    analysis::ImportedSample sample{
        .problemId = problem, .checkpoint = "sft", .benchmark = "world-test"};
    sample.stats.correct = correct;
    imported.samples.push_back(sample);
  }
  std::vector<analysis::AnalyzedSample> analyzed;
  for (const auto& sample : imported.samples) {
    analyzed.push_back({sample.problemId, sample.checkpoint, sample.benchmark, sample.stats});
  }
  analysis::saveImportedRun(workspace, imported, analysis::summarize(analyzed));
}

// Run 1 and 2: configs A and B, timed stages, evaluations; run 3: a config that does not parse;
// run 4: an imported run.
std::filesystem::path makeWorkspace() {
  auto dir = test::freshTempDir("compare-view");
  auto workspace = store::Workspace::open(dir);
  auto a = workspace.runs().create({.name = "warmup-5", .config = kConfigA, .host = "local"});
  auto b = workspace.runs().create({.name = "warmup-10", .config = kConfigB, .host = "local"});
  addStage(workspace, a.id, "search", store::StageStatus::kFinished, 0, 2.5);
  addStage(workspace, a.id, "sft", store::StageStatus::kFinished, 2.5, 10);
  addStage(workspace, a.id, "evaluate", store::StageStatus::kFinished, 10, 12);
  addStage(workspace, b.id, "search", store::StageStatus::kFinished, 0, 3);
  addStage(workspace, b.id, "sft", store::StageStatus::kFailed, 3, 4);
  addStage(workspace, b.id, "evaluate", store::StageStatus::kPending, std::nullopt, std::nullopt);
  for (auto run : {a.id, b.id}) {
    std::vector<store::MetricPoint> loss;
    for (int step = 1; step <= 20; ++step) loss.push_back({step, 2.0 / (step * run) + 0.1});
    workspace.metrics().append(run, std::nullopt, "sft/loss", loss);
  }
  addEvaluation(workspace, a.id, "base", {0, 0, 0, 0}, 2);
  addEvaluation(workspace, a.id, "sft", {2, 1, 0, 1}, 2);
  addEvaluation(workspace, b.id, "sft", {2, 2, 1, 0}, 2);
  workspace.runs().create({.name = "broken", .config = "[sft\nepochs = 2\n", .host = "local"});
  addImportedRun(workspace);
  return dir;
}

QString cell(const QAbstractItemModel* model, int row, int column, int role = Qt::DisplayRole) {
  return model->index(row, column).data(role).toString();
}

}  // namespace

class CompareViewTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // the main window's QSettings
    QCoreApplication::setOrganizationName("AstroStudioTest");
    QCoreApplication::setApplicationName("compare-view-test");
    workspace_ = makeWorkspace();
  }

  void configDiff_keepsOnlyTheChangedNestedKeyAndTheMissingKey() {
    auto a = analysis::flattenConfig(kConfigA, "a");
    auto b = analysis::flattenConfig(kConfigB, "b");
    QCOMPARE(QString::fromStdString(a.at("sft.schedule.kind")), QString("\"cosine\""));
    QCOMPARE(QString::fromStdString(a.at("sft.learning_rate")), QString("0.001"));
    auto floats = analysis::flattenConfig("a = 3e-3\nb = 1.0\nc = 1\nd = [1, \"x\"]\n", "f");
    QCOMPARE(QString::fromStdString(floats.at("a")), QString("0.003"));
    QCOMPARE(QString::fromStdString(floats.at("b")), QString("1.0"));
    QCOMPARE(QString::fromStdString(floats.at("c")), QString("1"));
    QCOMPARE(QString::fromStdString(floats.at("d")), QString("[1, \"x\"]"));
    auto rows = analysis::diffConfigs({a, b});
    std::vector<analysis::ConfigDiffRow> expected = {
        {.key = "evaluate.samples", .values = {"2", std::nullopt}},
        {.key = "sft.schedule.warmup_steps", .values = {"5", "10"}}};
    QVERIFY(rows == expected);
    // JSON configs flatten the same way; an unparsable config names its source and line.
    auto json = analysis::flattenConfig(R"({"sft": {"schedule": {"warmup_steps": 5}}})", "j");
    QCOMPARE(json.at("sft.schedule.warmup_steps"), std::string("5"));
    try {
      analysis::flattenConfig("[sft\nepochs = 2\n", "run 3 config");
      QFAIL("a broken config parsed");
    } catch (const std::exception& error) {
      QVERIFY2(QString(error.what()).startsWith("run 3 config:1"), error.what());
    }
  }

  // Stages match by kind across runs; one run's extra stage goes after the stage it follows, a
  // kind's second stage is "kind #2".
  void alignStages_matchesByKindInPipelineOrder() {
    auto stages = [](std::vector<std::string> kinds) {
      std::vector<store::Stage> list;
      for (auto& kind : kinds) list.push_back({.kind = kind});
      return list;
    };
    auto rows =
        analysis::alignStages({stages({"search", "sft", "evaluate"}),
                               stages({"search", "linearize", "sft", "evaluate", "evaluate"})});
    QStringList names;
    for (const auto& row : rows) names << QString::fromStdString(row.stage);
    QCOMPARE(names, QStringList({"search", "linearize", "sft", "evaluate", "evaluate #2"}));
    QVERIFY(!rows[1].runs[0] && rows[1].runs[1]);
    QVERIFY(!rows[4].runs[0] && rows[4].runs[1]);
    QVERIFY(rows[3].runs[0] && rows[3].runs[1]);
  }

  void view_showsConfigDiffStageTimingsAndEvaluations() {
    gui::CompareView view;
    QAbstractItemModelTester configTester(view.configModel());
    QAbstractItemModelTester stageTester(view.stageModel());
    QAbstractItemModelTester evalTester(view.evalModel());
    view.resize(1200, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&view, &gui::CompareView::loaded);
    view.setWorkspace(workspace_);
    view.setRuns({1, 2});
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(view.readError(), QString());
    QVERIFY(view.headline().contains("#1 warmup-5"));

    auto* config = view.configModel();
    QCOMPARE(config->rowCount(), 2);
    QCOMPARE(config->columnCount(), 3);
    QCOMPARE(config->headerData(1, Qt::Horizontal).toString(), QString("#1"));
    QVERIFY(config->headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString().contains("warmup-5"));
    QCOMPARE(cell(config, 0, 0), QString("evaluate.samples"));
    QCOMPARE(cell(config, 0, 1), QString("2"));
    QCOMPARE(cell(config, 0, 2), QString("—"));
    QCOMPARE(cell(config, 1, 0), QString("sft.schedule.warmup_steps"));
    QCOMPARE(cell(config, 1, 1), QString("5"));
    QCOMPARE(cell(config, 1, 2), QString("10"));

    auto* stages = view.stageModel();
    QCOMPARE(stages->rowCount(), 4);
    const QStringList names = {"search", "sft", "evaluate", "all stages"};
    const QStringList first = {"2.50 s", "7.50 s", "2.00 s", "12.0 s"};
    const QStringList second = {"3.00 s", "1.00 s (failed)", "pending", "4.00 s"};
    for (int row = 0; row < 4; ++row) {
      QCOMPARE(cell(stages, row, 0), names[row]);
      QCOMPARE(cell(stages, row, 1), first[row]);
      QCOMPARE(cell(stages, row, 2), second[row]);
    }
    QCOMPARE(stages->index(1, 1).data(gui::StageTimingModel::kSecondsRole).toDouble(), 7.5);
    QVERIFY(cell(stages, 1, 1, Qt::ToolTipRole).contains("started 2027-01-15T08:00:02.500Z"));

    // pass@1 is the mean over problems of correct / 2 (greedy answers left out), with the
    // analysis' bootstrap interval over the per-problem rates.
    auto* eval = view.evalModel();
    QCOMPARE(eval->rowCount(), 2);
    QCOMPARE(cell(eval, 0, gui::EvalTableModel::kCheckpoint), QString("base"));
    QCOMPARE(cell(eval, 0, gui::EvalTableModel::kFirstRun), QString("0.00 [0.00, 0.00]"));
    QCOMPARE(cell(eval, 0, gui::EvalTableModel::kFirstRun + 1), QString("—"));
    QCOMPARE(cell(eval, 1, gui::EvalTableModel::kBenchmark), QString("world-test"));
    QCOMPARE(cell(eval, 1, gui::EvalTableModel::kCheckpoint), QString("sft"));
    auto intervalA = analysis::bootstrapMean({1.0, 0.5, 0.0, 0.5});
    auto intervalB = analysis::bootstrapMean({1.0, 1.0, 0.5, 0.0});
    QCOMPARE(intervalA.estimate, 0.5);
    QCOMPARE(intervalB.estimate, 0.625);
    QCOMPARE(cell(eval, 1, gui::EvalTableModel::kFirstRun), gui::passAt1Text(intervalA));
    QCOMPARE(cell(eval, 1, gui::EvalTableModel::kFirstRun + 1), gui::passAt1Text(intervalB));
    auto estimate = eval->index(1, gui::EvalTableModel::kFirstRun + 1);
    QCOMPARE(estimate.data(gui::EvalTableModel::kPassAt1Role).toDouble(), 0.625);
    QCOMPARE(estimate.data(gui::EvalTableModel::kLowRole).toDouble(), intervalB.low);
    QCOMPARE(estimate.data(gui::EvalTableModel::kHighRole).toDouble(), intervalB.high);
    QVERIFY(intervalB.low < 0.625 && intervalB.high > 0.625);
    for (auto section : {Section::kConfig, Section::kStages, Section::kEvaluations}) {
      QCOMPARE(view.errorText(section), QString());
      QVERIFY(view.table(section)->isVisible());
    }
    // Below the tables, both runs' sft/loss overlaid in one chart.
    QTRY_COMPARE(view.curves()->lineCount(), 2);
    QCOMPARE(view.curves()->metrics(), QStringList{"sft/loss"});
  }

  void view_dropsSupersededReadAndHintsBelowTwoRuns() {
    gui::CompareView view;
    QAbstractItemModelTester configTester(view.configModel());
    QAbstractItemModelTester stageTester(view.stageModel());
    QAbstractItemModelTester evalTester(view.evalModel());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&view, &gui::CompareView::loaded);
    view.setWorkspace(workspace_);
    view.setRuns({1, 3});
    view.setRuns({2, 1});  // supersedes the read of runs 1 and 3
    QTRY_COMPARE(loaded.count(), 1);
    QTest::qWait(100);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(view.configModel()->headerData(1, Qt::Horizontal).toString(), QString("#2"));
    QCOMPARE(cell(view.configModel(), 1, 1), QString("10"));
    view.setRuns({1});
    QVERIFY(view.headline().contains("Select two or more runs"));
    QCOMPARE(view.configModel()->rowCount(), 0);
    QVERIFY(!view.table(Section::kConfig)->isVisible());
  }

  void view_showsConfigParseErrorBesideTheOtherTables() {
    gui::CompareView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&view, &gui::CompareView::loaded);
    view.setWorkspace(workspace_);
    view.setRuns({1, 3});
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY2(view.errorText(Section::kConfig).startsWith("run 3 config:1"),
             qPrintable(view.errorText(Section::kConfig)));
    QVERIFY(!view.table(Section::kConfig)->isVisible());
    QCOMPARE(view.stageModel()->rowCount(), 4);  // run 1's three stages and the total
    QVERIFY(view.table(Section::kStages)->isVisible());
  }

  void view_showsReadErrorsWhereTheTablesWouldBe() {
    gui::CompareView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&view, &gui::CompareView::loaded);
    view.setWorkspace(workspace_);
    view.setRuns({1, 42});
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY2(view.readError().contains("no run 42"), qPrintable(view.readError()));
    QCOMPARE(view.configModel()->rowCount(), 0);

    auto corrupt = test::freshTempDir("compare-view-corrupt");
    std::ofstream(corrupt / "workspace.sqlite") << std::string(8192, 'x');
    view.setWorkspace(corrupt);
    QTRY_COMPARE(loaded.count(), 2);
    QVERIFY(!view.readError().isEmpty());
    QVERIFY(view.headline().startsWith("Cannot read runs 1, 42"));
    for (auto section : {Section::kConfig, Section::kStages, Section::kEvaluations}) {
      QVERIFY(!view.table(section)->isVisible());
    }
    QCOMPARE(view.evalModel()->rowCount(), 0);
  }

  // An imported run's samples file gives its pass@1 beside a native run's; without the file its
  // error is shown above the rows the other runs still have.
  void view_comparesAnImportedRunsEvaluations() {
    gui::CompareView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&view, &gui::CompareView::loaded);
    view.setWorkspace(workspace_);
    view.setRuns({1, 4});
    QTRY_COMPARE(loaded.count(), 1);
    auto* eval = view.evalModel();
    QCOMPARE(eval->rowCount(), 2);
    QCOMPARE(cell(eval, 1, gui::EvalTableModel::kCheckpoint), QString("sft"));
    QCOMPARE(cell(eval, 1, gui::EvalTableModel::kFirstRun + 1),
             gui::passAt1Text(analysis::bootstrapMean({1.0, 0.5})));
    QCOMPARE(view.errorText(Section::kEvaluations), QString());

    auto samples = workspace_ / "imported/4/samples.jsonl";
    auto moved = workspace_ / "samples.jsonl.moved";
    std::filesystem::rename(samples, moved);
    view.reload();
    QTRY_COMPARE(loaded.count(), 2);
    std::filesystem::rename(moved, samples);
    QVERIFY(!view.errorText(Section::kEvaluations).isEmpty());
    QCOMPARE(eval->rowCount(), 2);  // run 1's base and sft
    QCOMPARE(cell(eval, 1, gui::EvalTableModel::kFirstRun + 1), QString("—"));
    QVERIFY(view.table(Section::kEvaluations)->isVisible());
  }

  // A running run is read again while it runs: its stage's end appears without a new selection.
  void view_readsARunningRunAgain() {
    auto dir = test::freshTempDir("compare-view-running");
    std::int64_t sftId = 0;
    {
      auto workspace = store::Workspace::open(dir);
      auto a = workspace.runs().create({.name = "a", .config = kConfigA});
      auto b = workspace.runs().create({.name = "b", .config = kConfigB});
      addStage(workspace, a.id, "sft", store::StageStatus::kFinished, 0, 1);
      workspace.runs().updateStatus(b.id, store::RunStatus::kRunning);
      sftId = workspace.stages().add(b.id, "sft").id;
      workspace.stages().mirror(sftId, {.status = store::StageStatus::kRunning, .started = at(0)});
    }
    gui::CompareView view;
    view.setPollInterval(50);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setWorkspace(dir);
    view.setRuns({1, 2});
    QTRY_COMPARE(cell(view.stageModel(), 0, 2), QString("running since 08:00:00"));
    {
      auto writer = store::Workspace::open(dir);
      writer.stages().mirror(
          sftId, {.status = store::StageStatus::kFinished, .started = at(0), .finished = at(1.5)});
    }
    QTRY_COMPARE(cell(view.stageModel(), 0, 2), QString("1.50 s"));
  }

  // The side panel selects several runs; the Compare tab shows them, while the other views keep
  // following the current run as before.
  void mainWindow_comparesTheSelectedRuns() {
    gui::MainWindow window(test::qpath(workspace_));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE(window.workspaceModel()->rowCount(), 4);
    window.selectRun(1);
    QTRY_COMPARE(window.currentRunId(), std::int64_t{1});
    auto* compare = window.compareView();
    QCOMPARE(compare->runs(), std::vector<std::int64_t>{1});
    QVERIFY(compare->headline().contains("Select two or more runs"));
    auto second = window.runFilterModel()->mapFromSource(window.workspaceModel()->indexOfRun(2));
    window.runTree()->selectionModel()->select(
        second, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(compare->runs(), (std::vector<std::int64_t>{1, 2}));
    QCOMPARE(window.currentRunId(), std::int64_t{1});
    window.views()->setCurrentWidget(compare);
    QTRY_COMPARE(compare->configModel()->rowCount(), 2);
    QCOMPARE(compare->evalModel()->rowCount(), 2);
  }

 private:
  std::filesystem::path workspace_;
};

QTEST_MAIN(CompareViewTest)
#include "compare_view_test.moc"
