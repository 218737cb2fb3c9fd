// `astro world generate` and `astro world stats`: files, determinism and exit codes.
#include <QtTest>

#include "core/base/atomic_file.h"
#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {

QString pathArg(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

}  // namespace

class WorldCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void generate_writesSplitsAndManifest() {
    auto dir = astro::test::freshTempDir("world-cli") / "data";
    auto result = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "4", "--out",
                                              pathArg(dir), "--train", "30", "--test", "7"});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QString("wrote 30 train and 7 test puzzles to %1\n").arg(pathArg(dir)));
    QCOMPARE(QString::fromStdString(astro::readFile(dir / "train.jsonl")).count('\n'), 30);
    QCOMPARE(QString::fromStdString(astro::readFile(dir / "test.jsonl")).count('\n'), 7);
    auto manifest =
        QJsonDocument::fromJson(QByteArray::fromStdString(astro::readFile(dir / "manifest.json")));
    QCOMPARE(manifest.object()["seed"].toInt(), 4);
    QCOMPARE(manifest.object()["train"].toObject()["count"].toInt(), 30);
  }
  void generate_sameSeedTwice_givesIdenticalBytes() {
    auto root = astro::test::freshTempDir("world-cli-twice");
    for (const char* name : {"a", "b"}) {
      auto result = runProgram(ASTRO_CLI_PATH,
                               {"world", "generate", "--seed", "9", "--out", pathArg(root / name),
                                "--train", "20", "--test", "5", "--numbers", "5"});
      QCOMPARE(result.exitCode, 0);
    }
    for (const char* file : {"train.jsonl", "test.jsonl", "manifest.json"}) {
      QCOMPARE(astro::readFile(root / "a" / file), astro::readFile(root / "b" / file));
    }
  }
  void generate_missingOut_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "1"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--out"));
  }
  void generate_numbersOutOfRange_isUsageError() {
    auto dir = astro::test::freshTempDir("world-cli-range");
    auto result =
        runProgram(ASTRO_CLI_PATH, {"world", "generate", "--out", pathArg(dir), "--numbers", "9"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--numbers must be 3-6"));
  }
  void generate_impossibleKnobs_failWithExitOne() {
    auto dir = astro::test::freshTempDir("world-cli-impossible");
    auto result =
        runProgram(ASTRO_CLI_PATH, {"world", "generate", "--out", pathArg(dir), "--numbers", "3",
                                    "--max-number", "2", "--min-target", "90", "--max-target", "99",
                                    "--train", "5", "--test", "0"});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.err.startsWith("astro: error: countdown generator: only 0 of 5 "));
  }
  void stats_printsDifficultyAsJson() {
    auto result = runProgram(ASTRO_CLI_PATH,
                             {"world", "stats", "--count", "20", "--rollouts", "20", "--json"});
    QCOMPARE(result.exitCode, 0);
    auto report = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(report["problems"].toInt(), 20);
    double passRate = report["random_play_pass_rate"].toDouble();
    QVERIFY(passRate >= 0.0 && passRate < 0.5);
    QVERIFY(report["first_step_solvable_fraction"].toDouble() > 0.0);
  }
  void world_everySubcommandHasHelp() {
    for (const char* command : {"generate", "stats"}) {
      auto result = runProgram(ASTRO_CLI_PATH, {"world", command, "--help"});
      QCOMPARE(result.exitCode, 0);
      QVERIFY(result.out.contains("--seed"));
    }
  }
};

QTEST_GUILESS_MAIN(WorldCliTest)
#include "world_cli_test.moc"
