// The log dock and the progress bars: a run opens at the tail of its event log (a finished
// 7,334-event run never replays from seq 1), older events arrive a page at a time as the list is
// scrolled to its top, the model passes QAbstractItemModelTester, and the progress bar says
// "finished", "failed: ..." or the current stage with its counts, never a stale count.
#include <QAbstractItemModelTester>
#include <QListView>
#include <QProgressBar>
#include <QScrollBar>
#include <QtTest>

#include "core/store/workspace.h"
#include "gui/launch/run_follow_model.h"
#include "gui/workspace/event_log_model.h"
#include "gui/workspace/event_log_panel.h"
#include "gui/workspace/run_progress_bar.h"
#include "tests/support/test_support.h"

using namespace astro;

namespace {

constexpr int kFinishedEvents = 7334;

// Run 1: finished, 7,334 log events. Run 2: running stage 2/3 (sft) at 965/2750. Run 3: failed.
std::filesystem::path workspaceWithLogs() {
  auto folder = test::freshTempDir("gui-event-log");
  auto workspace = store::Workspace::open(folder);
  auto finished = workspace.runs().create({.name = "long finished run"});
  std::vector<store::NewEvent> events;
  for (int i = 1; i <= kFinishedEvents; ++i) {
    events.push_back({store::EventKind::kLog, {{"message", "event " + std::to_string(i)}}});
  }
  workspace.events().appendAll(finished.id, events);
  workspace.runs().updateProgress(finished.id, "pretrain", 965, 2750);  // stale once it ended
  workspace.runs().updateStatus(finished.id, store::RunStatus::kFinished);

  auto running = workspace.runs().create({.name = "running run"});
  for (const char* kind : {"search", "sft", "rl"}) workspace.stages().add(running.id, kind);
  workspace.runs().updateStatus(running.id, store::RunStatus::kRunning);
  workspace.runs().updateProgress(running.id, "sft", 965, 2750);
  workspace.events().append(running.id, {store::EventKind::kStageStarted, {{"stage", "sft"}}});

  auto failed = workspace.runs().create({.name = "failed run"});
  workspace.events().append(
      failed.id, {store::EventKind::kError, {{"message", "CUDA out of memory in stage rl"}}});
  workspace.runs().updateStatus(failed.id, store::RunStatus::kFailed);
  return folder;
}

}  // namespace

class EventLogTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { folder_ = workspaceWithLogs(); }

  void model_opensAtTheTailThenFetchesOlderPages() {
    gui::EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWorkspace(folder_);
    model.setRun(1);
    QCOMPARE(model.rowCount(), 0);  // read on the pool
    QTRY_COMPARE(model.rowCount(), int(gui::EventLogModel::kTailEvents));
    QCOMPARE(model.lastSeq(), std::int64_t{kFinishedEvents});
    QCOMPARE(model.firstSeq(), kFinishedEvents - gui::EventLogModel::kTailEvents + 1);
    QVERIFY(model.index(0).data().toString().startsWith("#6835 "));
    QVERIFY(model.index(0).data().toString().endsWith("event 6835"));
    QVERIFY(model.hasOlder());
    model.fetchOlder();
    model.fetchOlder();  // one page at a time: the second call waits for the first
    QTRY_COMPARE(model.rowCount(), 1000);
    QCOMPARE(model.firstSeq(), std::int64_t{6335});
    QCOMPARE(model.index(500).data(gui::EventLogModel::kSeqRole).toLongLong(), 6835);
    QTRY_VERIFY([&] {
      model.fetchOlder();
      return !model.hasOlder();
    }());
    QCOMPARE(model.rowCount(), kFinishedEvents);
    QCOMPARE(model.index(0).data(gui::EventLogModel::kSeqRole).toLongLong(), 1);
    QCOMPARE(model.progress().status, QStringLiteral("finished"));
    // Another run supersedes: nothing of run 1 arrives later.
    model.setRun(3);
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(Qt::ForegroundRole).value<QBrush>().color(), QColor(176, 0, 32));
  }

  void panel_scrollingToTheTopPrependsOlderEventsKeepingTheView() {
    gui::EventLogPanel panel;
    panel.resize(600, 300);
    panel.show();
    panel.setWorkspace(folder_);
    panel.showRun(1);
    QTRY_COMPARE(panel.lastSeq(), std::int64_t{kFinishedEvents});
    QVERIFY(!panel.text().contains("#1 "));  // never replayed from seq 1
    QCOMPARE(panel.progressText(), QStringLiteral("finished"));
    auto* bar = panel.view()->verticalScrollBar();
    QTRY_COMPARE(bar->value(), bar->maximum());  // opened at the tail
    bar->setValue(0);
    QTRY_COMPARE(panel.model()->firstSeq(), std::int64_t{6335});
    // The row that was on top stays on top: the older page landed above it.
    QModelIndex top = panel.view()->indexAt(QPoint(1, 1));
    QCOMPARE(top.data(gui::EventLogModel::kSeqRole).toLongLong(), 6835);
  }

  void panel_progressShowsTheStageOfARunningRunAndTheEndOfOthers() {
    gui::EventLogPanel panel;
    panel.setWorkspace(folder_);
    panel.showRun(2);
    QTRY_COMPARE(panel.progressText(), QStringLiteral("stage 2/3 sft: 965 / 2750"));
    panel.showRun(3);
    QTRY_COMPARE(panel.progressText(), QStringLiteral("failed: CUDA out of memory in stage rl"));
    panel.showRun(1);
    QTRY_COMPARE(panel.progressText(), QStringLiteral("finished"));
    QCOMPARE(panel.findChild<QProgressBar*>("logProgress")->value(),
             panel.findChild<QProgressBar*>("logProgress")->maximum());
  }

  void progressFormat_coversEveryStatus() {
    using gui::runProgressFormat;
    QCOMPARE(runProgressFormat({}), QString());  // no run
    QCOMPARE(runProgressFormat({.status = "running"}), QStringLiteral("running"));
    QCOMPARE(runProgressFormat({.status = "running", .stage = "sft", .done = 3, .total = 9}),
             QStringLiteral("stage sft: %v / %m"));
    QCOMPARE(runProgressFormat({.status = "interrupted",
                                .stage = "rl",
                                .position = 3,
                                .stageCount = 4,
                                .done = 2,
                                .total = 8}),
             QStringLiteral("interrupted at stage 3/4 rl: %v / %m"));
    QCOMPARE(runProgressFormat({.status = "finished", .stage = "rl", .done = 2, .total = 8}),
             QStringLiteral("finished"));
    QCOMPARE(runProgressFormat({.status = "failed", .error = "50% done\nthen died"}),
             QStringLiteral("failed: 50%% done then died"));
  }

  void followModel_progressStateEndsAsFinishedOrFailed() {
    gui::RunFollowModel model;
    model.reset(7);
    auto event = [](std::int64_t seq, store::EventKind kind, nlohmann::json payload) {
      return store::Event{.runId = 7, .seq = seq, .kind = kind, .payload = std::move(payload)};
    };
    model.apply({event(1, store::EventKind::kStageStarted,
                       {{"stage", "pretrain"}, {"position", 1}, {"stages", 2}}),
                 event(2, store::EventKind::kProgress,
                       {{"stage", "pretrain"}, {"done", 965}, {"total", 2750}})});
    QCOMPARE(gui::runProgressFormat(model.progressState()),
             QStringLiteral("stage 1/2 pretrain: %v / %m"));
    model.apply({event(3, store::EventKind::kLog, {{"status", "finished"}})});
    QCOMPARE(gui::runProgressFormat(model.progressState()), QStringLiteral("finished"));
    model.reset(7);
    model.apply({event(1, store::EventKind::kError, {{"message", "disk full"}}),
                 event(2, store::EventKind::kLog, {{"status", "failed"}})});
    QCOMPARE(gui::runProgressFormat(model.progressState()), QStringLiteral("failed: disk full"));
  }

 private:
  std::filesystem::path folder_;
};

QTEST_MAIN(EventLogTest)
#include "event_log_test.moc"
