// The event stream without a worker: JSON lines round-trip, RunEvents stores each event before
// the sink sees it with gap-free seqs, progress is throttled and carries an ETA, metric points
// are idempotent by (name, step), and the worker lock admits one holder across processes' views.
#include <QtTest>

#include "core/base/error.h"
#include "core/pipeline/console_output.h"
#include "core/pipeline/event_line.h"
#include "core/pipeline/run_events.h"
#include "core/pipeline/worker_lock.h"
#include "core/store/workspace.h"
#include "tests/support/test_support.h"

using namespace astro;
using store::EventKind;

class PipelineEventsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void eventLine_roundTrips() {
    store::Event event{.runId = 3,
                       .seq = 17,
                       .time = store::fromMilliseconds(1795000000123),
                       .kind = EventKind::kProgress,
                       .payload = {{"stage", "sft"}, {"done", 40}, {"total", 120}}};
    std::string line = pipeline::eventLine(event);
    QVERIFY(line.starts_with("{\"run\":3,\"seq\":17,\"time\":\""));
    QVERIFY(line.find('\n') == std::string::npos);
    store::Event back = pipeline::parseEventLine(line);
    QCOMPARE(back.runId, event.runId);
    QCOMPARE(back.seq, event.seq);
    QVERIFY(back.time == event.time);
    QVERIFY(back.kind == event.kind);
    QVERIFY(back.payload == event.payload);
    QVERIFY_THROWS_EXCEPTION(astro::ParseError, pipeline::parseEventLine("{\"run\":1}"));
    QVERIFY_THROWS_EXCEPTION(astro::ParseError, pipeline::parseEventLine("run 3"));
  }

  void runEvents_storeBeforeTheSink_withGapFreeSeqs() {
    auto folder = test::freshTempDir("pipeline-events");
    auto workspace = store::Workspace::open(folder);
    auto run = workspace.runs().create({.name = "r"});
    auto stage = workspace.stages().add(run.id, "sft");
    std::vector<std::int64_t> seen;
    pipeline::RunEvents events(
        workspace, run.id,
        [&](const store::Event& event) {
          seen.push_back(event.seq);
          QCOMPARE(workspace.events().lastSeq(run.id), event.seq);  // already committed
        },
        std::chrono::milliseconds(0));
    events.stageStarted(stage, 1, false);
    events.metric(stage, "loss", 1, 0.5);
    events.metric(stage, "loss", 1, 0.5);  // a resumed step logs the same point again
    events.metric(stage, "loss", 2, 0.25);
    events.progress("sft", 2, 4, "training");
    events.log("hello");
    QCOMPARE(seen, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
    auto points = workspace.metrics().series(run.id, "sft/loss");
    QCOMPARE(points.size(), std::size_t(2));
    QCOMPARE(points[1].value, 0.25);
    auto current = workspace.runs().get(run.id);
    QCOMPARE(current.currentStage, std::string("sft"));
    QCOMPARE(current.progressDone, std::int64_t(2));
    QCOMPARE(workspace.stages().list(run.id).at(0).status, store::StageStatus::kRunning);
  }

  void progress_isThrottled_andEndsWithAnEtaOfZero() {
    auto folder = test::freshTempDir("pipeline-progress");
    auto workspace = store::Workspace::open(folder);
    auto run = workspace.runs().create({.name = "r"});
    int progressEvents = 0;
    pipeline::RunEvents events(
        workspace, run.id,
        [&](const store::Event& event) { progressEvents += event.kind == EventKind::kProgress; },
        std::chrono::hours(1));
    for (int done = 0; done <= 100; ++done) events.progress("search", done, 100);
    QCOMPARE(progressEvents, 2);  // the first, and the last (done == total)
    auto last = workspace.events().lastOfKind(run.id, EventKind::kProgress);
    QVERIFY(last.has_value());
    QCOMPARE(last->payload["eta_seconds"].get<int>(), 0);
    QCOMPARE(workspace.runs().get(run.id).progressDone, std::int64_t(100));
  }

  void eventText_isShortAndSkipsMetrics() {
    store::Event started{
        .kind = EventKind::kStageStarted,
        .payload = {{"stage", "sft"}, {"position", 4}, {"stages", 7}, {"resumed", true}}};
    QCOMPARE(*pipeline::eventText(started), std::string("[4/7 sft] resumed"));
    store::Event log{.kind = EventKind::kLog, .payload = {{"stage", "search"}, {"message", "hi"}}};
    QCOMPARE(*pipeline::eventText(log), std::string("[search] hi"));
    store::Event metric{.kind = EventKind::kMetric, .payload = {{"name", "x"}}};
    QVERIFY(!pipeline::eventText(metric).has_value());
    QCOMPARE(pipeline::formatDuration(3725), std::string("1h02m"));
    QCOMPARE(pipeline::formatDuration(187), std::string("3m07s"));
    QCOMPARE(pipeline::formatDuration(42.4), std::string("42s"));
  }

  void workerLock_admitsOneHolder_andReportsItsPid() {
    auto folder = test::freshTempDir("pipeline-lock");
    auto file = folder / "runs" / "1" / "worker.lock";
    QVERIFY(!pipeline::lockHolder(file).has_value());
    {
      auto lock = pipeline::WorkerLock::acquire(file, "run 1");
      QCOMPARE(pipeline::lockHolder(file).value_or(-1), ::getpid());
      // flock locks belong to open file descriptions: a second acquire conflicts even here.
      QVERIFY_THROWS_EXCEPTION(astro::Error, pipeline::WorkerLock::acquire(file, "run 1"));
    }
    QVERIFY(!pipeline::lockHolder(file).has_value());
    auto again = pipeline::WorkerLock::acquire(file, "run 1");
  }
};

QTEST_GUILESS_MAIN(PipelineEventsTest)
#include "pipeline_events_test.moc"
