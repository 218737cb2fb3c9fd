// The `astro` program's contract: exit codes 0/1/2, --help everywhere, one-line errors on stderr.
#include <QtTest>

#include "tests/support/test_support.h"

using astro::test::runProgram;

class CliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void version_printsVersionAndExitsZero() {
    auto result = runProgram(ASTRO_CLI_PATH, {"--version"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.startsWith("astro " ASTRO_VERSION));
  }
  void help_listsSubcommands() {
    auto result = runProgram(ASTRO_CLI_PATH, {"--help"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains("doctor"));
  }
  void noSubcommand_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.startsWith("astro: usage error:"));
    QCOMPARE(result.err.count('\n'), 1);
  }
  void unknownSubcommand_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"frobnicate"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("frobnicate"));
  }
  void unknownFlag_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"doctor", "--no-such-flag"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--no-such-flag"));
  }
  void badValue_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"doctor", "--threads", "-3"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("threads"));
  }
  void everySubcommand_hasHelp() {
    auto result = runProgram(ASTRO_CLI_PATH, {"doctor", "--help"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains("--json"));
  }
  void doctor_reportsEnvironmentAsJson() {
    auto dir = astro::test::freshTempDir("doctor");
    auto result = runProgram(ASTRO_CLI_PATH, {"--workspace", QString::fromStdString(dir.string()),
                                              "doctor", "--json", "--threads", "1"});
    QCOMPARE(result.exitCode, 0);
    auto doc = QJsonDocument::fromJson(result.out.toUtf8());
    QVERIFY2(doc.isObject(), qPrintable(result.out));
    auto report = doc.object();
    for (const char* key : {"libtorch", "graphviz", "sqlite", "blas", "threads"}) {
      QVERIFY2(report.contains(key), key);
    }
    QCOMPARE(report["threads"].toInt(), 1);
    QVERIFY(report["matmul_gflops_fp32"].toDouble() > 0);
    QCOMPARE(report["sqlite"].toString().count('.'), 2);
  }
};

QTEST_GUILESS_MAIN(CliTest)
#include "cli_test.moc"
