// The Samples view over the run store: the stored-sample model pages lazily by keyset under
// QAbstractItemModelTester and filters in SQL; the GRPO group model lays a step's rollouts side
// by side with their rewards and advantages; the view switches between a run's samples and an
// imported file; the Trace view lists a run's samples of its own and shows the chosen completion.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableView>
#include <QSortFilterProxyModel>
#include <QtTest>
#include <set>

#include "core/store/workspace.h"
#include "gui/samples/rollout_group_model.h"
#include "gui/samples/run_samples.h"
#include "gui/samples/sample_table_model.h"
#include "gui/samples/samples_view.h"
#include "gui/main_window.h"
#include "gui/samples/stored_sample_model.h"
#include "gui/trace/trace_sample_panel.h"
#include "gui/trace/trace_view.h"
#include "tests/support/test_support.h"

using namespace astro;

namespace {

store::SampleRow sampleRow(int index, std::optional<bool> correct) {
  return store::SampleRow{.problemId = "p" + std::to_string(index),
                          .prompt = "prompt " + std::to_string(index),
                          .completion = index == 7 ? "a needle here" : "plain text",
                          .answer = std::to_string(index),
                          .correct = correct,
                          .backtracks = index % 3,
                          .tokens = 10 + index};
}

// Run 1: `evalCount` evaluation samples of checkpoint "sft" (every third correct) and two GRPO
// steps of 3 groups x 2 rollouts; run 2: none.
std::filesystem::path workspaceWithSamples(const QString& name, int evalCount) {
  auto folder = test::freshTempDir(name);
  auto workspace = store::Workspace::open(folder);
  const auto run = workspace.runs().create({.name = "rl run"});
  workspace.runs().create({.name = "empty run"});
  const auto stage = workspace.stages().add(run.id, "rl");
  std::vector<store::SampleRow> rows;
  for (int i = 0; i < evalCount; ++i) rows.push_back(sampleRow(i, i % 3 == 0));
  workspace.samples().add({.runId = run.id, .checkpoint = "sft", .benchmark = "world-test"}, rows);
  for (int step = 1; step <= 2; ++step) {
    std::vector<store::SampleRow> rollouts;
    for (int group = 0; group < 3; ++group) {
      for (int member = 0; member < 2; ++member) {
        auto row = sampleRow(group, group == 1 || member == 0);
        row.group = group;
        row.sampleIndex = member;
        row.reward = *row.correct ? 1.0 : -1.0;
        row.advantage = group == 1 ? 0.0 : (member == 0 ? 0.7071 : -0.7071);
        rollouts.push_back(row);
      }
    }
    workspace.samples().replace({.runId = run.id,
                                 .stageId = stage.id,
                                 .kind = store::SampleKind::kRollout,
                                 .step = step,
                                 .benchmark = "train"},
                                rollouts);
  }
  return folder;
}

}  // namespace

class SamplesModelTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void storedSampleModel_pagesLazilyThroughTheRun() {
    const auto folder = workspaceWithSamples("gui-samples-pages", 600);
    gui::StoredSampleModel model(nullptr, 256);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(folder, 1);
    QTRY_COMPARE(model.totalSamples(), qint64{612});
    QTRY_VERIFY(model.rowCount() >= 256);
    // The tester itself calls fetchMore() when it probes the model, so pages may arrive on their
    // own; ask until every row is there.
    QTRY_VERIFY([&] {
      if (model.canFetchMore({})) model.fetchMore({});
      return model.rowCount() == 612;
    }());
    QVERIFY(!model.canFetchMore({}));
    std::set<std::int64_t> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
      ids.insert(model.sample(row).id);
      if (row > 0) QVERIFY(model.sample(row).id > model.sample(row - 1).id);
    }
    QCOMPARE(ids.size(), std::size_t{612});
    QCOMPARE(model.index(0, gui::StoredSampleModel::kVerdict).data().toString(),
             QString("correct"));
    QCOMPARE(model.index(1, gui::StoredSampleModel::kCheckpoint).data().toString(), QString("sft"));
    QCOMPARE(model.index(600, gui::StoredSampleModel::kCheckpoint).data().toString(),
             QString("step 1"));
    QCOMPARE(model.index(601, gui::StoredSampleModel::kAdvantage).data().toDouble(), -0.7071);
  }

  void storedSampleModel_filtersInTheStore() {
    const auto folder = workspaceWithSamples("gui-samples-filter", 30);
    gui::StoredSampleModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(folder, 1, {.kind = store::SampleKind::kEval, .correct = true});
    QTRY_COMPARE(model.totalSamples(), qint64{10});
    QTRY_COMPARE(model.rowCount(), 10);
    model.setQuery(folder, 1, {.text = "NEEDLE"});
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.sample(0).row.problemId, std::string("p7"));
    model.setQuery(folder, 1, {.kind = store::SampleKind::kRollout, .step = 2});
    QTRY_COMPARE(model.rowCount(), 6);
    model.setQuery(folder, 2);
    QTRY_COMPARE(model.totalSamples(), qint64{0});
    QCOMPARE(model.rowCount(), 0);
  }

  void storedSampleModel_sortsTheWholeRunInSql() {
    const auto folder = workspaceWithSamples("gui-samples-sort", 100);
    gui::StoredSampleModel model(nullptr, 16);  // many pages: the keyset must carry the order
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(folder, 1, {.kind = store::SampleKind::kEval});
    QTRY_COMPARE(model.totalSamples(), qint64{100});
    auto loadAll = [&] {
      QTRY_VERIFY([&] {
        if (model.canFetchMore({})) model.fetchMore({});
        return model.rowCount() == 100 && !model.isLoading();
      }());
    };
    model.sort(gui::StoredSampleModel::kTokens, Qt::DescendingOrder);
    QCOMPARE(model.rowCount(), 0);  // starts over, read on the pool
    loadAll();
    // tokens = 10 + index: the first row is p99's, the whole run in descending order.
    QCOMPARE(model.sample(0).row.problemId, std::string("p99"));
    for (int row = 1; row < 100; ++row) {
      QVERIFY(model.sample(row).row.tokens < model.sample(row - 1).row.tokens);
    }
    // backtracks = index % 3: ties broken by id, ascending.
    model.sort(gui::StoredSampleModel::kBacktracks, Qt::AscendingOrder);
    loadAll();
    QCOMPARE(model.sample(0).row.problemId, std::string("p0"));
    QCOMPARE(model.sample(1).row.problemId, std::string("p3"));
    QCOMPARE(model.sample(34).row.problemId, std::string("p1"));  // 34 rows have backtracks 0
    for (int row = 1; row < 100; ++row) {
      const auto& a = model.sample(row - 1);
      const auto& b = model.sample(row);
      QVERIFY(a.row.backtracks < b.row.backtracks ||
              (a.row.backtracks == b.row.backtracks && a.id < b.id));
    }
    QVERIFY(gui::StoredSampleModel::isSortable(gui::StoredSampleModel::kReward));
    QVERIFY(!gui::StoredSampleModel::isSortable(gui::StoredSampleModel::kProblem));
    model.sort(gui::StoredSampleModel::kProblem, Qt::AscendingOrder);  // ignored
    QCOMPARE(model.sampleOrder(), store::SampleOrder::kBacktracks);
  }

  void samplesView_headerClickSortsTheRunInSql() {
    const auto folder = workspaceWithSamples("gui-samples-view-sort", 20);
    gui::SamplesView view;
    view.showRun(folder, 1);
    QTRY_COMPARE(view.proxyModel()->rowCount(), 32);
    auto* header = view.table()->horizontalHeader();
    header->setSortIndicator(gui::StoredSampleModel::kReward, Qt::DescendingOrder);
    QCOMPARE(view.storedModel()->sampleOrder(), store::SampleOrder::kReward);
    QTRY_COMPARE(view.proxyModel()->rowCount(), 32);
    // Rollouts rewarded +1 first; evaluation samples (no reward) last; the proxy keeps that order.
    QCOMPARE(view.proxyModel()->index(0, gui::StoredSampleModel::kReward).data().toDouble(), 1.0);
    QCOMPARE(view.proxyModel()->index(31, gui::StoredSampleModel::kKind).data().toString(),
             QString("eval"));
    header->setSortIndicator(gui::StoredSampleModel::kProblem, Qt::DescendingOrder);
    QCOMPARE(header->sortIndicatorSection(), int{gui::StoredSampleModel::kId});
    QCOMPARE(view.storedModel()->sampleOrder(), store::SampleOrder::kId);
    QVERIFY(view.storedModel()->isDescending());
    QTRY_COMPARE(view.proxyModel()->rowCount(), 32);
    QCOMPARE(view.storedModel()->sample(0).id, std::int64_t{32});
  }

  void rolloutGroupModel_showsAStepsGroupsSideBySide() {
    const auto folder = workspaceWithSamples("gui-samples-groups", 3);
    auto step = gui::readRolloutStep(folder, 1, 2);
    QVERIFY(step.error.isEmpty());
    gui::RolloutGroupModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRollouts(step.step, step.rollouts);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), gui::RolloutGroupModel::kFirstRollout + 2);
    QCOMPARE(model.headerData(gui::RolloutGroupModel::kFirstRollout + 1, Qt::Horizontal).toString(),
             QString("Rollout 2"));
    QCOMPARE(model.index(0, gui::RolloutGroupModel::kRewardMean).data().toDouble(), 0.0);
    QCOMPARE(model.index(0, gui::RolloutGroupModel::kRewardStd).data().toDouble(), 1.0);
    QCOMPARE(model.index(1, gui::RolloutGroupModel::kSignal).data().toString(),
             QString("none (all equal)"));
    QCOMPARE(model.index(0, gui::RolloutGroupModel::kFirstRollout).data().toString(),
             QString("r +1  A +0.707"));
    QCOMPARE(model.index(0, gui::RolloutGroupModel::kFirstRollout + 1).data().toString(),
             QString("r -1  A -0.707"));
    const auto* rollout =
        model.rolloutAt(model.index(2, gui::RolloutGroupModel::kFirstRollout + 1));
    QVERIFY(rollout != nullptr);
    QCOMPARE(rollout->row.group, 2);
    QCOMPARE(rollout->row.sampleIndex, 1);
    QVERIFY(model.rolloutAt(model.index(2, gui::RolloutGroupModel::kProblem)) == nullptr);
  }

  void samplesView_showsARunsSamplesAndStillImports() {
    const auto folder = workspaceWithSamples("gui-samples-view", 20);
    gui::SamplesView view;
    view.showRun(folder, 1);
    QTRY_COMPARE(view.storedModel()->totalSamples(), qint64{32});
    QTRY_COMPARE(view.proxyModel()->rowCount(), 32);
    // The filter boxes come from the run: one checkpoint, two RL steps (the first one shown).
    QTRY_COMPARE(view.stepBox()->count(), 2);
    QCOMPARE(view.checkpointBox()->count(), 2);
    QCOMPARE(view.checkpointBox()->itemText(1), QString("sft"));
    QTRY_COMPARE(view.rolloutGroupModel()->rowCount(), 3);
    QCOMPARE(view.rolloutGroupModel()->step(), std::int64_t{1});
    view.stepBox()->setCurrentIndex(1);
    QTRY_COMPARE(view.rolloutGroupModel()->step(), std::int64_t{2});
    view.kindBox()->setCurrentIndex(2);  // rollouts
    QTRY_COMPARE(view.storedModel()->totalSamples(), qint64{12});
    view.kindBox()->setCurrentIndex(0);
    view.checkpointBox()->setCurrentIndex(1);
    view.verdictBox()->setCurrentIndex(2);  // wrong
    QTRY_COMPARE(view.storedModel()->totalSamples(), qint64{13});
    view.setFilterText("needle");
    QTRY_COMPARE(view.proxyModel()->rowCount(), 1);
    std::vector<analysis::ImportedSample> activated;
    connect(&view, &gui::SamplesView::sampleActivated,
            [&](const analysis::ImportedSample& sample) { activated.push_back(sample); });
    view.activateRow(0);
    QCOMPARE(activated.size(), std::size_t{1});
    const auto& sample = activated.front();
    QCOMPARE(sample.completion, std::string("a needle here"));
    QCOMPARE(sample.checkpoint, std::string("sft"));

    // An import takes the table over; its own filters apply in the proxy.
    auto imported = std::make_shared<std::vector<analysis::ImportedSample>>(2);
    (*imported)[0].problemId = "imported-needle";
    (*imported)[1].problemId = "other";
    view.verdictBox()->setCurrentIndex(0);
    view.setSamples(imported, "file.jsonl");
    QVERIFY(!view.showsRun());
    QCOMPARE(view.proxyModel()->sourceModel(), view.sampleModel());
    QCOMPARE(view.proxyModel()->rowCount(), 1);  // the text filter "needle" still holds
    view.setFilterText({});
    QCOMPARE(view.proxyModel()->rowCount(), 2);
  }

  void traceView_listsTheRunsSamples_andShowsTheChosenCompletion() {
    const auto folder = workspaceWithSamples("gui-samples-trace", 30);
    gui::TraceView view;
    auto* panel = view.samplePanel();
    auto* model = panel->model();
    view.showRun(folder, 1);
    QTRY_COMPARE(model->totalSamples(), qint64{42});  // 30 evaluation + 2 steps x 6 rollouts
    QTRY_COMPARE(model->rowCount(), 42);
    panel->kindBox()->setCurrentIndex(2);  // rollouts
    QTRY_COMPARE(model->totalSamples(), qint64{12});
    panel->kindBox()->setCurrentIndex(0);
    panel->verdictBox()->setCurrentIndex(2);  // wrong
    panel->searchBox()->setText("needle");    // in SQL, 250 ms after typing stops
    QTRY_COMPARE(model->totalSamples(), qint64{1});
    QTRY_COMPARE(model->rowCount(), 1);
    QVERIFY(panel->selectRow(0));
    QTRY_VERIFY(view.isReady());
    QCOMPARE(view.textView()->toPlainText(), QString("a needle here"));
    QVERIFY2(view.verdictText().contains("p7") && view.verdictText().contains("wrong"),
             qPrintable(view.verdictText()));
    QVERIFY(!panel->selectRow(1));

    // The main window lists the selected run's samples in the Trace view too.
    gui::MainWindow window(QString::fromStdString(folder.string()));
    window.selectRun(1);
    QTRY_COMPARE(window.traceView()->samplePanel()->model()->totalSamples(),
                 qint64{42});
  }
};

QTEST_MAIN(SamplesModelTest)
#include "samples_model_test.moc"
