// `astro runs list` and `astro runs show`: exit codes 0/1/2, JSON output, and the runs a workspace
// holds as the store's repositories wrote them.
#include <QtTest>

#include "core/store/workspace.h"
#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {
QStringList inWorkspace(const std::filesystem::path& folder, QStringList arguments) {
  return QStringList{"--workspace", QString::fromStdString(folder.string())} + arguments;
}
}  // namespace

class RunsCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void list_missingWorkspace_createsItAndPrintsEmptyList() {
    auto folder = astro::test::freshTempDir("cli-runs-empty") / "new-workspace";
    auto result = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, {"runs", "list", "--json"}));
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QString("[]\n"));
    QVERIFY(std::filesystem::exists(folder / "workspace.sqlite"));
    auto text = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, {"runs", "list"}));
    QCOMPARE(text.exitCode, 0);
    QCOMPARE(text.out, "no runs in workspace " + QString::fromStdString(folder.string()) + "\n");
  }

  void list_showsEveryRunWithStatusStageAndProgress() {
    auto folder = astro::test::freshTempDir("cli-runs-list");
    {
      auto workspace = astro::store::Workspace::open(folder);
      auto first = workspace.runs().create({.name = "tiny world"});
      workspace.runs().updateStatus(first.id, astro::store::RunStatus::kRunning);
      workspace.runs().updateProgress(first.id, "sft", 30, 120);
      workspace.runs().create({.name = "imported", .kind = astro::store::RunKind::kImported});
    }
    auto result = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, {"runs", "list", "--json"}));
    QCOMPARE(result.exitCode, 0);
    auto runs = QJsonDocument::fromJson(result.out.toUtf8()).array();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs.at(0)["id"].toInt(), 1);
    QCOMPARE(runs.at(0)["name"].toString(), QString("tiny world"));
    QCOMPARE(runs.at(0)["status"].toString(), QString("running"));
    QCOMPARE(runs.at(0)["current_stage"].toString(), QString("sft"));
    QCOMPARE(runs.at(0)["progress_done"].toInt(), 30);
    QCOMPARE(runs.at(0)["progress_total"].toInt(), 120);
    QCOMPARE(runs.at(1)["kind"].toString(), QString("imported"));
    QVERIFY(runs.at(1)["created"].toString().endsWith("Z"));

    auto table = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, {"runs", "list"}));
    QCOMPARE(table.exitCode, 0);
    auto lines = table.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].startsWith("ID"));
    QVERIFY(lines[1].contains("tiny world") && lines[1].contains("30/120"));
  }

  void show_printsStagesEventsAndMetricCounts() {
    auto folder = astro::test::freshTempDir("cli-runs-show");
    {
      auto workspace = astro::store::Workspace::open(folder);
      auto run = workspace.runs().create({.name = "shown"});
      auto stage = workspace.stages().add(run.id, "search");
      workspace.stages().markStarted(stage.id);
      for (int i = 0; i < 15; ++i) {
        workspace.events().append(run.id, {.kind = astro::store::EventKind::kLog,
                                           .payload = {{"message", "line " + std::to_string(i)}}});
      }
      std::vector<astro::store::MetricPoint> points = {{1, 0.5}, {2, 0.25}, {3, 0.125}};
      workspace.metrics().append(run.id, stage.id, "search/value", points);
    }
    auto result = runProgram(ASTRO_CLI_PATH,
                             inWorkspace(folder, {"runs", "show", "1", "--json", "--events", "4"}));
    QCOMPARE(result.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(report["run"]["name"].toString(), QString("shown"));
    QCOMPARE(report["stages"].toArray().size(), 1);
    QCOMPARE(report["stages"][0]["status"].toString(), QString("running"));
    auto events = report["events"].toArray();
    QCOMPARE(events.size(), 4);
    QCOMPARE(events.at(0)["seq"].toInt(), 12);
    QCOMPARE(events.at(3)["payload"]["message"].toString(), QString("line 14"));
    QCOMPARE(report["metrics"][0]["name"].toString(), QString("search/value"));
    QCOMPARE(report["metrics"][0]["count"].toInt(), 3);

    auto text = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, {"runs", "show", "1"}));
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.startsWith("run 1: shown\n"));
    QVERIFY(text.out.contains("search/value  3 points"));
  }

  void show_unknownRun_failsWithMessageNamingTheWorkspace() {
    auto folder = astro::test::freshTempDir("cli-runs-unknown");
    { astro::store::Workspace::open(folder); }
    auto result = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, {"runs", "show", "999"}));
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err, "astro: error: no run 999 in workspace " +
                             QString::fromStdString(folder.string()) + "\n");
  }

  void show_missingWorkspace_failsWithoutCreatingIt() {
    auto folder = astro::test::freshTempDir("cli-runs-nowhere") / "absent";
    auto result = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, {"runs", "show", "3"}));
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.err.contains("no run 3 in workspace"));
    QVERIFY(!std::filesystem::exists(folder));
  }

  void corruptDatabase_failsWithMessageNamingTheFile() {
    auto folder = astro::test::freshTempDir("cli-runs-corrupt");
    QFile file(QString::fromStdString((folder / "workspace.sqlite").string()));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, '\x5a'));
    file.close();
    auto result = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, {"runs", "list"}));
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("is not an Astro Studio workspace database or is corrupt"),
             qPrintable(result.err));
    QCOMPARE(result.err.count('\n'), 1);
  }

  void badUsage_exitsTwo() {
    auto folder = astro::test::freshTempDir("cli-runs-usage");
    for (const QStringList& arguments :
         {QStringList{"runs"}, QStringList{"runs", "show"}, QStringList{"runs", "show", "abc"},
          QStringList{"runs", "show", "0"}, QStringList{"runs", "list", "--bogus"}}) {
      auto result = runProgram(ASTRO_CLI_PATH, inWorkspace(folder, arguments));
      QVERIFY2(result.exitCode == 2, qPrintable(arguments.join(' ') + ": " + result.err));
      QVERIFY(result.err.startsWith("astro: usage error:"));
    }
  }

  void help_describesListAndShow() {
    auto result = runProgram(ASTRO_CLI_PATH, {"runs", "--help"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains("list") && result.out.contains("show"));
    auto show = runProgram(ASTRO_CLI_PATH, {"runs", "show", "--help"});
    QCOMPARE(show.exitCode, 0);
    QVERIFY(show.out.contains("--json") && show.out.contains("--events"));
  }
};

QTEST_GUILESS_MAIN(RunsCliTest)
#include "runs_cli_test.moc"
