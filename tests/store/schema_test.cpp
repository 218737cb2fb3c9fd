// Opening a workspace database: migrations from empty, reopening, refusal of newer, foreign,
// garbage and truncated files with a message naming the file, one writer per process, and the
// statement cache of the private connection.
#include <sqlite3.h>

#include <QtTest>
#include <random>

#include "core/base/error.h"
#include "core/store/detail/schema.h"
#include "core/store/detail/sqlite.h"
#include "core/store/workspace.h"
#include "tests/store/store_test_support.h"
#include "tests/support/test_support.h"

using astro::store::Workspace;
using astro::test::astroErrorOf;
using astro::test::fileBytes;
using astro::test::writeBytes;

namespace {

// A big-endian 32-bit field of the SQLite file header (user_version at 60, application_id at 68).
std::uint32_t headerField(const std::string& bytes, std::size_t offset) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<std::uint8_t>(bytes[offset + i]);
  return value;
}

void setHeaderField(std::string& bytes, std::size_t offset, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[offset + i] = static_cast<char>(value >> (24 - 8 * i));
}

// A workspace with one run and enough metric rows to span many pages; closed on return.
std::filesystem::path populatedWorkspace(const QString& name) {
  auto folder = astro::test::freshTempDir(name);
  auto workspace = Workspace::open(folder);
  auto run = workspace.runs().create({.name = "filled"});
  std::vector<astro::store::MetricPoint> points;
  for (int step = 0; step < 20000; ++step) points.push_back({step, step * 0.5});
  workspace.metrics().append(run.id, std::nullopt, "loss", points);
  return folder;
}

}  // namespace

class SchemaTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void open_emptyFolder_appliesMigrationsToLatestVersion() {
    auto folder = astro::test::freshTempDir("schema-empty") / "not-yet";
    {
      auto workspace = Workspace::open(folder);
      QCOMPARE(workspace.schemaVersion(), Workspace::latestSchemaVersion());
      QVERIFY(Workspace::latestSchemaVersion() >= 2);
      QVERIFY(workspace.runs().list().empty());
      QCOMPARE(workspace.databasePath(), folder / "workspace.sqlite");
    }
    // Closing the last connection checkpoints the WAL into the main file.
    std::string bytes = fileBytes(folder / "workspace.sqlite");
    QCOMPARE(headerField(bytes, 60), static_cast<std::uint32_t>(Workspace::latestSchemaVersion()));
    QCOMPARE(headerField(bytes, 68), 0x41535452u);
  }

  void reopen_keepsDataAndVersion() {
    auto folder = astro::test::freshTempDir("schema-reopen");
    std::int64_t runId = 0;
    {
      auto workspace = Workspace::open(folder);
      runId = workspace.runs().create({.name = "kept", .config = "seed = 3"}).id;
      workspace.events().append(
          runId, {.kind = astro::store::EventKind::kLog, .payload = {{"message", "hello"}}});
    }
    auto workspace = Workspace::open(folder);
    QCOMPARE(workspace.schemaVersion(), Workspace::latestSchemaVersion());
    auto run = workspace.runs().get(runId);
    QCOMPARE(run.name, std::string("kept"));
    QCOMPARE(run.config, std::string("seed = 3"));
    auto events = workspace.events().replay(runId);
    QCOMPARE(events.size(), std::size_t{1});
    QCOMPARE(events[0].payload["message"].get<std::string>(), std::string("hello"));
  }

  void open_newerSchemaVersion_isRefusedAndChangesNothing() {
    auto folder = populatedWorkspace("schema-newer");
    auto file = folder / "workspace.sqlite";
    std::string bytes = fileBytes(file);
    setHeaderField(bytes, 60, 7);
    writeBytes(file, bytes);

    QString message = astroErrorOf([&] { Workspace::open(folder); });
    QCOMPARE(message, QString::fromStdString(file.string()) +
                          " has schema version 7; this astro understands up to " +
                          QString::number(Workspace::latestSchemaVersion()) + ": upgrade astro");
    QVERIFY(fileBytes(file) == bytes);
    QVERIFY(!astroErrorOf([&] { Workspace::open(folder, {.readOnly = true}); }).isEmpty());
    QVERIFY(fileBytes(file) == bytes);
  }

  // The studio only reads; a workspace an older build wrote is migrated once by a short-lived
  // writer when the reader asks for it, and refused otherwise (nothing is written).
  void openReadOnly_olderSchema_isMigratedOnlyWhenAsked() {
    auto folder = astro::test::freshTempDir("schema-older");
    const int older = Workspace::latestSchemaVersion() - 1;
    {
      astro::store::detail::Connection connection(folder / "workspace.sqlite", {});
      for (const auto& migration : astro::store::detail::schemaMigrations()) {
        if (migration.version <= older) connection.executeScript(std::string(migration.sql));
      }
      connection.executeScript("PRAGMA application_id = " +
                               std::to_string(astro::store::detail::kApplicationId) +
                               "; PRAGMA user_version = " + std::to_string(older));
    }
    const std::string bytes = fileBytes(folder / "workspace.sqlite");
    QString message = astroErrorOf([&] { Workspace::open(folder, {.readOnly = true}); });
    QVERIFY2(message.contains("open it once for writing"), qPrintable(message));
    QVERIFY(fileBytes(folder / "workspace.sqlite") == bytes);
    auto reader = Workspace::open(folder, {.readOnly = true, .migrateOlder = true});
    QCOMPARE(reader.schemaVersion(), Workspace::latestSchemaVersion());
  }

  void open_garbageFile_givesErrorNamingTheFile() {
    auto folder = astro::test::freshTempDir("schema-garbage");
    auto file = folder / "workspace.sqlite";
    std::mt19937 random(42);
    std::string garbage(16384, '\0');
    for (char& byte : garbage) byte = static_cast<char>(random());
    writeBytes(file, garbage);

    QString message = astroErrorOf([&] { Workspace::open(folder); });
    QVERIFY2(message.startsWith(QString::fromStdString(file.string()) +
                                " is not an Astro Studio workspace database or is corrupt: "),
             qPrintable(message));
    QVERIFY(fileBytes(file) == garbage);
  }

  void open_textFile_givesErrorNamingTheFile() {
    auto folder = astro::test::freshTempDir("schema-text");
    writeBytes(folder / "workspace.sqlite", "name = \"not a database\"\n");
    QString message = astroErrorOf([&] { Workspace::open(folder); });
    QVERIFY2(message.contains("is not an Astro Studio workspace database or is corrupt"),
             qPrintable(message));
  }

  void open_databaseCutInHalf_givesErrorNamingTheFile() {
    auto folder = populatedWorkspace("schema-truncated");
    auto file = folder / "workspace.sqlite";
    std::string bytes = fileBytes(file);
    QVERIFY(bytes.size() > 100000);
    writeBytes(file, bytes.substr(0, bytes.size() / 2));

    QString message = astroErrorOf([&] { Workspace::open(folder); });
    QVERIFY2(message.startsWith(QString::fromStdString(file.string()) +
                                " is not an Astro Studio workspace database or is corrupt: "),
             qPrintable(message));
  }

  void open_databaseCutInHalf_withoutQuickCheck_stillGivesError() {
    // The header's page count exceeds the file: SQLite reports corruption on the first read.
    auto folder = populatedWorkspace("schema-truncated-large");
    auto file = folder / "workspace.sqlite";
    std::string bytes = fileBytes(file);
    writeBytes(file, bytes.substr(0, bytes.size() / 2));
    QString message = astroErrorOf([&] {
      auto workspace = Workspace::open(folder, {.quickCheckMaxBytes = 0});
      workspace.metrics().series(1, "loss");
    });
    QVERIFY2(message.contains("is not an Astro Studio workspace database or is corrupt"),
             qPrintable(message));
  }

  void open_sqliteFileOfAnotherProgram_isRefused() {
    auto folder = astro::test::freshTempDir("schema-foreign");
    auto file = folder / "workspace.sqlite";
    sqlite3* database = nullptr;
    QCOMPARE(sqlite3_open(file.c_str(), &database), SQLITE_OK);
    QCOMPARE(sqlite3_exec(database, "CREATE TABLE notes (text TEXT)", nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(database);
    std::string bytes = fileBytes(file);

    QString message = astroErrorOf([&] { Workspace::open(folder); });
    QVERIFY2(message.contains("is not an Astro Studio workspace database"), qPrintable(message));
    QVERIFY(fileBytes(file) == bytes);
  }

  void open_secondWriterInOneProcess_isRefused() {
    auto folder = astro::test::freshTempDir("schema-two-writers");
    auto writer = Workspace::open(folder);
    QString message = astroErrorOf([&] { Workspace::open(folder / "." / ""); });
    QVERIFY2(message.contains("is already open for writing in this process"), qPrintable(message));
    auto reader = Workspace::open(folder, {.readOnly = true});
    auto run = writer.runs().create({.name = "seen by the reader"});
    QCOMPARE(reader.runs().get(run.id).name, std::string("seen by the reader"));
  }

  void open_writerAfterClose_isAllowed() {
    auto folder = astro::test::freshTempDir("schema-writer-again");
    { auto first = Workspace::open(folder); }
    auto second = Workspace::open(folder);
    QCOMPARE(second.schemaVersion(), Workspace::latestSchemaVersion());
  }

  void openReadOnly_missingDatabase_givesError() {
    auto folder = astro::test::freshTempDir("schema-readonly-missing");
    QString message = astroErrorOf([&] { Workspace::open(folder, {.readOnly = true}); });
    QCOMPARE(message, "no workspace database at " +
                          QString::fromStdString((folder / "workspace.sqlite").string()));
  }

  void connection_nestedUseOfOneStatement_getsItsOwnCopy() {
    auto folder = astro::test::freshTempDir("schema-nested-statement");
    astro::store::detail::Connection connection(folder / "scratch.sqlite", {});
    const std::string sql = "SELECT 1 UNION ALL SELECT 2";
    auto outer = connection.prepare(sql);
    QVERIFY(outer.step());
    {
      auto inner = connection.prepare(sql);
      QVERIFY(inner.step());
      QCOMPARE(inner.integer(0), std::int64_t{1});
    }
    QVERIFY(outer.step());
    QCOMPARE(outer.integer(0), std::int64_t{2});
    QVERIFY(!outer.step());
  }

  void checkIntegrity_freshDatabase_isOk() {
    auto workspace = Workspace::open(astro::test::freshTempDir("schema-integrity"));
    QCOMPARE(workspace.checkIntegrity(), std::string("ok"));
    QCOMPARE(workspace.checkIntegrity(true), std::string("ok"));
  }
};

QTEST_GUILESS_MAIN(SchemaTest)
#include "schema_test.moc"
