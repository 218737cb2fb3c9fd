// The typed repositories of the run store: runs, stages, the event log, metrics, artifacts and
// datasets, each read back as value structs; transactions that compose or roll back.
#include <QtTest>

#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/store/workspace.h"
#include "tests/store/store_test_support.h"
#include "tests/support/test_support.h"

using namespace astro::store;
using astro::test::astroErrorOf;

namespace {
Workspace freshWorkspace(const QString& name) {
  return Workspace::open(astro::test::freshTempDir(name));
}
}  // namespace

class RepositoriesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void runs_createGetList_roundTripsEveryField() {
    auto workspace = freshWorkspace("repo-runs");
    auto first = workspace.runs().create(
        {.name = "tiny world", .config = "[search]\nrollouts = 8\n", .host = "local"});
    auto second = workspace.runs().create({.name = "imported", .kind = RunKind::kImported});
    QCOMPARE(first.id, std::int64_t{1});
    QCOMPARE(second.id, std::int64_t{2});
    auto stored = workspace.runs().get(first.id);
    QCOMPARE(stored.name, std::string("tiny world"));
    QCOMPARE(stored.config, std::string("[search]\nrollouts = 8\n"));
    QCOMPARE(stored.host, std::string("local"));
    QCOMPARE(stored.kind, RunKind::kNative);
    QCOMPARE(stored.status, RunStatus::kPending);
    QCOMPARE(stored.created, stored.updated);
    auto all = workspace.runs().list();
    QCOMPARE(all.size(), std::size_t{2});
    QCOMPARE(all[1].kind, RunKind::kImported);
  }

  void runs_updateStatusAndProgress_areStored() {
    auto workspace = freshWorkspace("repo-run-progress");
    auto run = workspace.runs().create({.name = "r"});
    workspace.runs().updateStatus(run.id, RunStatus::kRunning);
    workspace.runs().updateProgress(run.id, "sft", 120, 1000);
    auto stored = workspace.runs().get(run.id);
    QCOMPARE(stored.status, RunStatus::kRunning);
    QCOMPARE(stored.currentStage, std::string("sft"));
    QCOMPARE(stored.progressDone, std::int64_t{120});
    QCOMPARE(stored.progressTotal, std::int64_t{1000});
  }

  void runs_unknownId_givesErrorNamingTheWorkspace() {
    auto workspace = freshWorkspace("repo-run-missing");
    QString expected = "no run 42 in workspace " + QString::fromStdString(workspace.folder());
    QCOMPARE(astroErrorOf([&] { workspace.runs().get(42); }), expected);
    QCOMPARE(astroErrorOf([&] { workspace.runs().updateStatus(42, RunStatus::kFailed); }),
             expected);
    QCOMPARE(astroErrorOf([&] { workspace.events().append(42, {}); }), expected);
    QCOMPARE(astroErrorOf([&] { workspace.metrics().append(42, std::nullopt, "loss", {}); }),
             expected);
    QVERIFY(!workspace.runs().find(42));
  }

  void statusNames_roundTrip() {
    for (auto status : {RunStatus::kPending, RunStatus::kRunning, RunStatus::kInterrupted,
                        RunStatus::kFinished, RunStatus::kFailed, RunStatus::kCancelled}) {
      QCOMPARE(parseRunStatus(runStatusName(status)), status);
    }
    QCOMPARE(astroErrorOf([] { parseRunStatus("sleeping"); }),
             QString("unknown run status 'sleeping' (expected pending, running, interrupted, "
                     "finished, failed or cancelled)"));
  }

  void stages_keepPipelineOrderTimesAndCheckpoint() {
    auto workspace = freshWorkspace("repo-stages");
    auto run = workspace.runs().create({.name = "r"});
    auto search = workspace.stages().add(run.id, "search");
    auto sft = workspace.stages().add(run.id, "sft");
    QCOMPARE(search.position, 1);
    QCOMPARE(sft.position, 2);
    QVERIFY(!search.started);
    workspace.stages().markStarted(search.id);
    workspace.stages().setCheckpoint(search.id, "runs/1/search");
    workspace.stages().markFinished(search.id, StageStatus::kFinished);
    auto stages = workspace.stages().list(run.id);
    QCOMPARE(stages.size(), std::size_t{2});
    QCOMPARE(stages[0].kind, std::string("search"));
    QCOMPARE(stages[0].status, StageStatus::kFinished);
    QVERIFY(stages[0].started && stages[0].finished);
    QVERIFY(*stages[0].started <= *stages[0].finished);
    QCOMPARE(stages[0].checkpoint, std::string("runs/1/search"));
    QCOMPARE(stages[1].status, StageStatus::kPending);
    QVERIFY(!astroErrorOf([&] { workspace.stages().markStarted(999); }).isEmpty());
  }

  void events_getGapFreeSeqsPerRun() {
    auto workspace = freshWorkspace("repo-events-seq");
    auto a = workspace.runs().create({.name = "a"});
    auto b = workspace.runs().create({.name = "b"});
    QCOMPARE(workspace.events().append(a.id, {}).seq, std::int64_t{1});
    QCOMPARE(workspace.events().append(b.id, {}).seq, std::int64_t{1});
    QCOMPARE(workspace.events().append(a.id, {}).seq, std::int64_t{2});
    QCOMPARE(workspace.events().appendAll(a.id, {{}, {}, {}}), std::int64_t{5});
    QCOMPARE(workspace.events().lastSeq(a.id), std::int64_t{5});
    QCOMPARE(workspace.events().lastSeq(b.id), std::int64_t{1});
  }

  void events_replayFromSeq_returnsLaterEventsInOrder() {
    auto workspace = freshWorkspace("repo-events-replay");
    auto run = workspace.runs().create({.name = "r"});
    workspace.events().append(run.id,
                              {.kind = EventKind::kStageStarted, .payload = {{"stage", "search"}}});
    for (int done = 1; done <= 5; ++done) {
      workspace.events().append(
          run.id, {.kind = EventKind::kProgress,
                   .payload = {{"done", done}, {"total", 5}, {"eta_seconds", 5 - done}}});
    }
    workspace.events().append(
        run.id, {.kind = EventKind::kError, .payload = {{"message", "out of memory"}}});
    auto events = workspace.events().replay(run.id, 3);
    QCOMPARE(events.size(), std::size_t{4});
    for (std::size_t i = 0; i < events.size(); ++i) {
      QCOMPARE(events[i].seq, static_cast<std::int64_t>(4 + i));
    }
    QCOMPARE(events[0].kind, EventKind::kProgress);
    QCOMPARE(events[0].payload["done"].get<int>(), 3);
    QCOMPARE(events[3].kind, EventKind::kError);
    QCOMPARE(events[3].payload["message"].get<std::string>(), std::string("out of memory"));
    QCOMPARE(workspace.events().replay(run.id, 0, 2).back().seq, std::int64_t{2});
    QVERIFY(workspace.events().replay(run.id, 7).empty());
    auto last = workspace.events().last(run.id, 2);
    QCOMPARE(last.size(), std::size_t{2});
    QCOMPARE(last[0].seq, std::int64_t{6});
  }

  void eventKindNames_roundTrip() {
    for (auto kind :
         {EventKind::kStageStarted, EventKind::kStageFinished, EventKind::kProgress,
          EventKind::kMetric, EventKind::kArtifact, EventKind::kLog, EventKind::kError}) {
      QCOMPARE(parseEventKind(eventKindName(kind)), kind);
    }
    QCOMPARE(eventKindName(EventKind::kStageStarted), std::string("stage_started"));
  }

  void metrics_seriesRoundTrip_inStepOrder() {
    auto workspace = freshWorkspace("repo-metrics");
    auto run = workspace.runs().create({.name = "r"});
    auto stage = workspace.stages().add(run.id, "sft");
    std::vector<MetricPoint> loss;
    for (int step = 0; step < 1000; ++step) loss.push_back({step, 1.0 / (step + 1)});
    std::vector<MetricPoint> shuffled(loss.rbegin(), loss.rend());
    workspace.metrics().append(run.id, stage.id, "sft/loss", shuffled);
    std::vector<MetricRow> rows = {
        {.runId = run.id, .step = 1, .name = "rl/reward", .value = 0.5},
        {.runId = run.id, .step = 2, .name = "rl/reward", .value = 0.75}};
    workspace.metrics().append(rows);

    QCOMPARE(workspace.metrics().series(run.id, "sft/loss"), loss);
    QCOMPARE(workspace.metrics().series(run.id, "rl/reward"),
             (std::vector<MetricPoint>{{1, 0.5}, {2, 0.75}}));
    QVERIFY(workspace.metrics().series(run.id, "absent").empty());
    auto info = workspace.metrics().seriesInfo(run.id);
    QCOMPARE(info.size(), std::size_t{2});
    QCOMPARE(info[0].name, std::string("rl/reward"));
    QCOMPARE(info[0].count, std::int64_t{2});
    QCOMPARE(info[1].count, std::int64_t{1000});
    QCOMPARE(workspace.metrics().count(run.id), std::int64_t{1002});
  }

  void runs_remove_takesItsRowsAlong() {
    auto workspace = freshWorkspace("repo-run-remove");
    auto kept = workspace.runs().create({.name = "kept"});
    auto removed = workspace.runs().create({.name = "removed"});
    for (auto id : {kept.id, removed.id}) {
      workspace.stages().add(id, "search");
      workspace.events().append(id, {});
      workspace.metrics().append(id, std::nullopt, "loss",
                                 std::vector<MetricPoint>{{1, 1}, {2, 2}});
    }
    workspace.runs().remove(removed.id);
    QVERIFY(!workspace.runs().find(removed.id));
    QCOMPARE(workspace.metrics().count(kept.id), std::int64_t{2});
    // SQLite reuses the largest id: the new run's series must not inherit the removed points.
    auto reused = workspace.runs().create({.name = "reused"});
    QCOMPARE(reused.id, removed.id);
    QVERIFY(workspace.stages().list(reused.id).empty());
    QCOMPARE(workspace.events().lastSeq(reused.id), std::int64_t{0});
    workspace.metrics().append(reused.id, std::nullopt, "loss", std::vector<MetricPoint>{{5, 5}});
    QCOMPARE(workspace.metrics().series(reused.id, "loss"), (std::vector<MetricPoint>{{5, 5}}));
    QCOMPARE(astroErrorOf([&] { workspace.runs().remove(removed.id + 1); }),
             "no run " + QString::number(removed.id + 1) + " in workspace " +
                 QString::fromStdString(workspace.folder()));
  }

  void metrics_samePointTwice_keepsTheLaterValue() {
    auto workspace = freshWorkspace("repo-metrics-replace");
    auto run = workspace.runs().create({.name = "r"});
    workspace.metrics().append(run.id, std::nullopt, "loss", std::vector<MetricPoint>{{1, 1.5}});
    workspace.metrics().append(run.id, std::nullopt, "loss", std::vector<MetricPoint>{{1, 0.5}});
    QCOMPARE(workspace.metrics().series(run.id, "loss"), (std::vector<MetricPoint>{{1, 0.5}}));
  }

  void metrics_bulkAppendWithUnknownRun_storesNothing() {
    auto workspace = freshWorkspace("repo-metrics-atomic");
    auto run = workspace.runs().create({.name = "r"});
    std::vector<MetricRow> rows = {{.runId = run.id, .step = 1, .name = "loss", .value = 1},
                                   {.runId = 77, .step = 1, .name = "loss", .value = 1}};
    QVERIFY(!astroErrorOf([&] { workspace.metrics().append(rows); }).isEmpty());
    QCOMPARE(workspace.metrics().count(run.id), std::int64_t{0});
  }

  void transaction_whenBodyThrows_rollsBackEveryRepositoryWrite() {
    auto workspace = freshWorkspace("repo-transaction");
    auto run = workspace.runs().create({.name = "r"});
    QString message = astroErrorOf([&] {
      workspace.transaction([&] {
        workspace.events().append(run.id, {});
        workspace.metrics().append(run.id, std::nullopt, "loss", std::vector<MetricPoint>{{1, 2}});
        workspace.stages().add(run.id, "search");
        throw astro::Error("stage failed");
      });
    });
    QCOMPARE(message, QString("stage failed"));
    QCOMPARE(workspace.events().lastSeq(run.id), std::int64_t{0});
    QCOMPARE(workspace.metrics().count(run.id), std::int64_t{0});
    QVERIFY(workspace.stages().list(run.id).empty());
    workspace.transaction([&] { workspace.events().append(run.id, {}); });
    QCOMPARE(workspace.events().lastSeq(run.id), std::int64_t{1});
  }

  void artifacts_addAndList_replaceSamePath() {
    auto workspace = freshWorkspace("repo-artifacts");
    auto run = workspace.runs().create({.name = "r"});
    auto first = workspace.artifacts().add({.runId = run.id,
                                            .kind = "checkpoint",
                                            .path = "runs/1/sft",
                                            .sha256 = std::string(64, 'a'),
                                            .sizeBytes = 10});
    workspace.artifacts().add(
        {.runId = run.id, .kind = "plot", .path = "runs/1/loss.svg", .sha256 = "b"});
    auto again = workspace.artifacts().add({.runId = run.id,
                                            .kind = "checkpoint",
                                            .path = "runs/1/sft",
                                            .sha256 = std::string(64, 'c'),
                                            .sizeBytes = 20});
    QCOMPARE(again.id, first.id);
    auto artifacts = workspace.artifacts().list(run.id);
    QCOMPARE(artifacts.size(), std::size_t{2});
    QCOMPARE(artifacts[0].sha256, std::string(64, 'c'));
    QCOMPARE(artifacts[0].sizeBytes, std::int64_t{20});
    QCOMPARE(artifacts[1].kind, std::string("plot"));
  }

  void datasets_registerSameContentTwice_returnsFirstRegistration() {
    auto folder = astro::test::freshTempDir("repo-datasets");
    auto workspace = Workspace::open(folder);
    auto file = folder / "math500.jsonl";
    std::string content = "{\"problem\": \"1+1\", \"answer\": \"2\"}\n";
    astro::test::writeBytes(file, content);
    auto copy = folder / "copy.jsonl";
    astro::test::writeBytes(copy, content);

    auto first = workspace.datasets().registerFile(file, "MATH-500", "math-jsonl", 1);
    auto second = workspace.datasets().registerFile(copy, "renamed", "math-jsonl", 1);
    QCOMPARE(second.id, first.id);
    QCOMPARE(second.name, std::string("MATH-500"));
    QCOMPARE(first.sha256, astro::sha256Hex(content));
    QCOMPARE(workspace.datasets().list().size(), std::size_t{1});

    astro::test::writeBytes(copy, content + content);
    auto other = workspace.datasets().registerFile(copy, "doubled", "math-jsonl", 2);
    QVERIFY(other.id != first.id);
    QCOMPARE(workspace.datasets().findBySha256(first.sha256)->name, std::string("MATH-500"));
    QCOMPARE(workspace.datasets().list().size(), std::size_t{2});
  }
};

QTEST_GUILESS_MAIN(RepositoriesTest)
#include "repositories_test.moc"
