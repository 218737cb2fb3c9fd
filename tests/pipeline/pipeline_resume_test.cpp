// The worker survives SIGKILL anywhere: a tiny pipeline is killed at a random event of each stage
// in turn and resumed each time, and ends with exactly the store contents of an uninterrupted run
// (tables compared without timestamps or row ids); its event log stays gap-free, every line a
// worker printed is the stored event with that seq, and seqs never repeat across the resumes.
// The seed is printed; ASTRO_TEST_SEED=N replays one.
#include <signal.h>

#include <QRandomGenerator>
#include <QThread>
#include <QtTest>
#include <map>

#include "core/store/workspace.h"
#include "tests/pipeline/pipeline_test_support.h"
#include "tests/support/test_support.h"

using namespace astro::test;
namespace fs = std::filesystem;

namespace {

const QString kConfig = ASTRO_SOURCE_DIR "/tests/pipeline/data/tiny.toml";
constexpr int kStages = 7;

}  // namespace

class PipelineResumeTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void killedAtRandomPointsOfEveryStage_endsWithTheUninterruptedStore() {
    quint32 seed = qEnvironmentVariableIsSet("ASTRO_TEST_SEED")
                       ? quint32(qEnvironmentVariableIntValue("ASTRO_TEST_SEED"))
                       : QRandomGenerator::global()->generate();
    qInfo("seed %u (ASTRO_TEST_SEED=%u replays it)", seed, seed);
    QRandomGenerator random(seed);

    const fs::path reference = freshTempDir("pipeline-reference");
    WorkerProcess uninterrupted(withWorkspace(reference, {"run", kConfig, "--format", "json"}));
    QCOMPARE(uninterrupted.finish(), 0);

    const fs::path killed = freshTempDir("pipeline-killed");
    std::vector<std::string> printed;  // every line every worker printed, in order
    QStringList arguments{"run", kConfig, "--format", "json"};
    int kills = 0;
    bool finished = false;
    for (int target = 1; target <= kStages && !finished; ++target) {
      WorkerProcess worker(withWorkspace(killed, arguments));
      arguments = QStringList{"resume", "1", "--format", "json"};
      int eventsLeft = -1;  // armed when the target stage starts
      const int afterEvents = random.bounded(0, 10);
      std::string line;
      while (worker.nextLine(&line)) {
        auto event = eventOf(line);
        if (event && event->kind == astro::store::EventKind::kStageStarted &&
            event->payload.value("position", 0) >= target && eventsLeft < 0) {
          eventsLeft = afterEvents;
        }
        if (eventsLeft >= 0 && event && eventsLeft-- == 0) {
          QThread::msleep(random.bounded(0, 300));
          worker.signal(SIGKILL);
          ++kills;
          break;
        }
      }
      int code = worker.finish();
      finished = code == 0;
      QVERIFY2(code == 0 || code == -1 || code == 137,
               qPrintable("worker failed: " + worker.errors()));
      printed.insert(printed.end(), worker.lines().begin(), worker.lines().end());
    }
    if (!finished) {
      WorkerProcess last(withWorkspace(killed, arguments));
      QCOMPARE(last.finish(), 0);
      printed.insert(printed.end(), last.lines().begin(), last.lines().end());
    }
    qInfo("%d kills", kills);
    QVERIFY(kills >= 3);

    auto expected = storeSnapshot(reference, 1);
    auto actual = storeSnapshot(killed, 1);
    QVERIFY2(expected == actual, firstDifference(expected, actual).c_str());

    // The log: seqs 1..N without gaps; every printed line is the stored event of its seq; seqs
    // only grow from line to line, across all the workers.
    auto workspace = astro::store::Workspace::open(killed, {.readOnly = true});
    auto events = workspace.events().replay(1, 0);
    for (std::size_t i = 0; i < events.size(); ++i) QCOMPARE(events[i].seq, std::int64_t(i + 1));
    std::int64_t lastSeq = 0;
    for (const std::string& line : printed) {
      auto event = eventOf(line);
      if (!event) continue;
      QVERIFY2(event->seq > lastSeq, line.c_str());
      lastSeq = event->seq;
      const auto& stored = events.at(std::size_t(event->seq - 1));
      QVERIFY(stored.kind == event->kind && stored.payload == event->payload &&
              stored.time == event->time);
    }
    // A metric re-emitted by a resumed stage carries the value it had: points are idempotent.
    std::map<std::string, double> points;
    for (const auto& event : events) {
      if (event.kind != astro::store::EventKind::kMetric) continue;
      std::string key = event.payload["name"].get<std::string>() + "@" +
                        std::to_string(event.payload["step"].get<std::int64_t>());
      double value = event.payload["value"].get<double>();
      auto [it, inserted] = points.emplace(key, value);
      QVERIFY2(inserted || it->second == value, key.c_str());
    }
    // A reader that holds events up to N gets exactly N+1.. from `astro events --since N`.
    std::int64_t since = random.bounded(0, int(events.size()));
    auto replay = runProgram(
        cliPath(), withWorkspace(killed, {"events", "1", "--since", QString::number(since)}));
    QCOMPARE(replay.exitCode, 0);
    auto lines = replay.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), qsizetype(events.size()) - since);
    QCOMPARE(eventOf(lines.front().toStdString())->seq, since + 1);
  }
};

QTEST_GUILESS_MAIN(PipelineResumeTest)
#include "pipeline_resume_test.moc"
