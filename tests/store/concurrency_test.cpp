// Several processes on one workspace database: concurrent event appenders keep the per-run seq
// gap-free, and a writer killed with SIGKILL inside a bulk transaction leaves a database that
// opens, passes integrity_check and holds all of that transaction's rows or none.
// The writer processes are this executable itself, started with a helper mode as argv[1].
#include <QtTest>
#include <cstdio>
#include <string>
#include <thread>

#include "core/base/workspace_paths.h"
#include "core/store/detail/schema.h"
#include "core/store/detail/sqlite.h"
#include "core/store/workspace.h"
#include "tests/support/test_support.h"

using namespace astro::store;

namespace {

constexpr int kEventsPerWriter = 500;
constexpr int kBulkRows = 200000;
constexpr int kBulkChunks = 20;

// Helper mode: append `count` events tagged with `writer` to run `runId`, each in its own
// transaction so the two processes interleave.
int appendEventsHelper(const std::string& folder, std::int64_t runId, int writer, int count) {
  auto workspace = Workspace::open(folder);
  for (int index = 0; index < count; ++index) {
    workspace.events().append(
        runId, {.kind = EventKind::kLog, .payload = {{"writer", writer}, {"index", index}}});
  }
  return 0;
}

// Helper mode: insert kBulkRows metric rows of run `runId` in ONE transaction, announcing on
// stdout when it is under way so the parent can kill it mid-way.
int bulkInsertHelper(const std::string& folder, std::int64_t runId) {
  auto workspace = Workspace::open(folder);
  std::vector<MetricPoint> chunk(kBulkRows / kBulkChunks);
  workspace.transaction([&] {
    for (int part = 0; part < kBulkChunks; ++part) {
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        std::int64_t step = part * static_cast<std::int64_t>(chunk.size()) + i;
        chunk[i] = {step, step * 0.001};
      }
      workspace.metrics().append(runId, std::nullopt, "loss", chunk);
      if (part == 0) {
        std::puts("inserting");
        std::fflush(stdout);
      }
    }
  });
  return 0;
}

// Helper mode: open (creating and migrating) the workspace and add one run.
int openAndCreateRunHelper(const std::string& folder) {
  Workspace::open(folder).runs().create({.name = "opened concurrently"});
  return 0;
}

QString folderArgument(const std::filesystem::path& folder) {
  return QString::fromStdString(folder.string());
}

}  // namespace

class ConcurrencyTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void processesOpeningOneNewDatabase_migrateItOnce() {
    auto folder = astro::test::freshTempDir("store-concurrent-open");
    QList<QProcess*> openers;
    for (int opener = 0; opener < 4; ++opener) {
      auto* process = new QProcess(this);
      process->start(QCoreApplication::applicationFilePath(),
                     {"--open-and-create-run", folderArgument(folder)});
      openers.append(process);
    }
    for (QProcess* process : openers) {
      QVERIFY(process->waitForFinished(60000));
      QVERIFY2(process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0,
               process->readAllStandardError().constData());
    }
    auto workspace = Workspace::open(folder);
    QCOMPARE(workspace.schemaVersion(), Workspace::latestSchemaVersion());
    QCOMPARE(workspace.runs().list().size(), std::size_t{4});
    QCOMPARE(workspace.checkIntegrity(), std::string("ok"));
  }

  // Switching a new database to WAL reads page 1, then asks for the write lock from inside that
  // read, where SQLite does not call the busy handler: while another opener held the write lock
  // for its own switch, open failed at once, whatever the busy timeout (seen in CI). Open now
  // waits for the other connection to let go.
  void openWhileAnotherConnectionWritesTheNewFile_waitsForIt() {
    auto folder = astro::test::freshTempDir("store-open-while-written");
    const auto database = astro::workspaceDatabasePath(folder);
    detail::Connection writer(database, {});
    // A file that is not empty (SQLite holds no lock on an empty one) and still in rollback mode,
    // as another opener leaves it just before its own switch to WAL.
    writer.executeScript("PRAGMA application_id = " + std::to_string(detail::kApplicationId));
    writer.executeScript("BEGIN IMMEDIATE");  // holds the RESERVED (write) lock
    std::thread release([&writer] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      writer.executeScript("COMMIT");
    });
    try {
      auto workspace = Workspace::open(folder);
      release.join();
      QCOMPARE(workspace.schemaVersion(), Workspace::latestSchemaVersion());
      QCOMPARE(workspace.connection().queryText("PRAGMA journal_mode"), std::string("wal"));
    } catch (const std::exception& error) {
      release.join();
      QFAIL(error.what());
    }
  }

  void twoProcessesAppendingEvents_loseNothingAndKeepSeqGapFree() {
    auto folder = astro::test::freshTempDir("store-concurrent-events");
    std::int64_t runId = 0;
    { runId = Workspace::open(folder).runs().create({.name = "shared"}).id; }

    QList<QProcess*> writers;
    for (int writer = 0; writer < 2; ++writer) {
      auto* process = new QProcess(this);
      process->start(QCoreApplication::applicationFilePath(),
                     {"--append-events", folderArgument(folder), QString::number(runId),
                      QString::number(writer), QString::number(kEventsPerWriter)});
      writers.append(process);
    }
    for (QProcess* process : writers) {
      QVERIFY(process->waitForFinished(60000));
      QVERIFY2(process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0,
               process->readAllStandardError().constData());
    }

    auto workspace = Workspace::open(folder);
    auto events = workspace.events().replay(runId);
    QCOMPARE(events.size(), std::size_t{2 * kEventsPerWriter});
    int nextIndex[2] = {0, 0};
    for (std::size_t i = 0; i < events.size(); ++i) {
      QCOMPARE(events[i].seq, static_cast<std::int64_t>(i + 1));
      int writer = events[i].payload["writer"].get<int>();
      // Each writer's own events keep its order, none lost or doubled.
      QCOMPARE(events[i].payload["index"].get<int>(), nextIndex[writer]++);
    }
    QCOMPARE(nextIndex[0], kEventsPerWriter);
    QCOMPARE(nextIndex[1], kEventsPerWriter);
  }

  void writerKilledInBulkTransaction_leavesAllOrNoneOfItsRows() {
    auto folder = astro::test::freshTempDir("store-killed-writer");
    std::vector<std::int64_t> runIds;
    {
      auto workspace = Workspace::open(folder);
      for (int attempt = 0; attempt < 4; ++attempt) {
        runIds.push_back(workspace.runs().create({.name = "killed"}).id);
      }
    }
    const int delaysMs[] = {0, 30, 120, 400};
    int killedMidway = 0;
    for (std::size_t attempt = 0; attempt < runIds.size(); ++attempt) {
      QProcess writer;
      writer.start(QCoreApplication::applicationFilePath(),
                   {"--bulk-insert", folderArgument(folder), QString::number(runIds[attempt])});
      QVERIFY(writer.waitForStarted(10000));
      QVERIFY2(writer.waitForReadyRead(60000), "the writer never started its transaction");
      std::this_thread::sleep_for(std::chrono::milliseconds(delaysMs[attempt]));
      writer.kill();  // SIGKILL
      QVERIFY(writer.waitForFinished(10000));
      if (writer.exitStatus() == QProcess::CrashExit) ++killedMidway;

      auto workspace = Workspace::open(folder);
      QCOMPARE(workspace.checkIntegrity(), std::string("ok"));
      std::int64_t rows = workspace.metrics().count(runIds[attempt]);
      QVERIFY2(rows == 0 || rows == kBulkRows, qPrintable(QString("%1 rows survived").arg(rows)));
    }
    qInfo("%d of %zu writers were killed inside their transaction", killedMidway, runIds.size());
    QVERIFY2(killedMidway > 0, "every writer finished before it was killed");
  }
};

int main(int argc, char** argv) {
  if (argc == 6 && std::string(argv[1]) == "--append-events") {
    return appendEventsHelper(argv[2], std::stoll(argv[3]), std::stoi(argv[4]), std::stoi(argv[5]));
  }
  if (argc == 4 && std::string(argv[1]) == "--bulk-insert") {
    return bulkInsertHelper(argv[2], std::stoll(argv[3]));
  }
  if (argc == 3 && std::string(argv[1]) == "--open-and-create-run") {
    return openAndCreateRunHelper(argv[2]);
  }
  QCoreApplication application(argc, argv);
  ConcurrencyTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "concurrency_test.moc"
