// `astro analyze`: tables on stdout, CSV files, bad lines on stderr with their numbers, usage
// errors with exit code 2.
#include <QtTest>

#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {
QString writeGenerations(const std::filesystem::path& dir) {
  QString path = QString::fromStdString((dir / "gens.jsonl").string());
  QFile file(path);
  file.open(QIODevice::WriteOnly);
  file.write(
      R"({"problem": "1+1?", "completion": "Step 1: add.\n\nWait, no. Going back to step 1.\n\n\\boxed{2}", "answer": "2", "checkpoint": "100", "benchmark": "toy"})"
      "\n"
      "not json\n"
      R"({"problem": "2+2?", "completion": "\\boxed{5}", "answer": "4", "checkpoint": "100", "benchmark": "toy"})"
      "\n"
      R"({"problem": "1+1?", "completion": "\\boxed{2}", "answer": "2", "checkpoint": "200", "benchmark": "toy"})"
      "\n");
  return path;
}
}  // namespace

class AnalyzeCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void analyzeInput_printsTablesAndReportsBadLines() {
    auto dir = astro::test::freshTempDir("analyze_cli");
    QString input = writeGenerations(dir);
    auto result = runProgram(ASTRO_CLI_PATH, {"analyze", "--input", input, "--bootstrap", "100"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.startsWith("imported 3 samples from gens.jsonl (1 bad lines)"),
             qPrintable(result.out));
    QVERIFY(result.out.contains("\ncheckpoints\n"));
    QVERIFY(result.out.contains("\ncorrelations\n"));
    QVERIFY(result.out.contains(QRegularExpression("toy +100 +2 +2 +2 +0\\.5000")));
    QVERIFY2(result.err.startsWith(input + ":2: invalid JSON"), qPrintable(result.err));
  }
  void analyzeCsv_writesOneFilePerTable() {
    auto dir = astro::test::freshTempDir("analyze_cli_csv");
    QString input = writeGenerations(dir);
    QString csv = QString::fromStdString((dir / "tables").string());
    auto result = runProgram(ASTRO_CLI_PATH, {"analyze", "--input", input, "--csv", csv});
    QCOMPARE(result.exitCode, 0);
    for (const char* name : {"checkpoints.csv", "correlations.csv", "samples.csv"}) {
      QFile file(csv + "/" + name);
      QVERIFY2(file.open(QIODevice::ReadOnly), name);
      QVERIFY(file.readLine().startsWith("benchmark,"));
    }
    QFile samples(csv + "/samples.csv");
    samples.open(QIODevice::ReadOnly);
    QCOMPARE(samples.readAll().count("\r\n"), 4);  // header + 3 samples
  }
  void analyzeSave_thenRunReadsTheImportedRunBack() {
    auto dir = astro::test::freshTempDir("analyze_cli_save");
    QString input = writeGenerations(dir);
    QString workspace = QString::fromStdString((dir / "ws").string());
    auto saved = runProgram(ASTRO_CLI_PATH, {"--workspace", workspace, "analyze", "--input", input,
                                             "--save", "--bootstrap", "100"});
    QCOMPARE(saved.exitCode, 0);
    QVERIFY2(saved.out.contains("saved as imported run 1 in "), qPrintable(saved.out));
    auto read = runProgram(
        ASTRO_CLI_PATH, {"--workspace", workspace, "analyze", "--run", "1", "--bootstrap", "100"});
    QCOMPARE(read.exitCode, 0);
    QVERIFY2(read.out.startsWith("read 3 samples from gens.jsonl"), qPrintable(read.out));
    // The same tables as straight from the file.
    QCOMPARE(read.out.mid(read.out.indexOf("\ncheckpoints")),
             saved.out.mid(saved.out.indexOf("\ncheckpoints"),
                           saved.out.indexOf("\nsaved as") - saved.out.indexOf("\ncheckpoints")));
    auto missing = runProgram(ASTRO_CLI_PATH, {"--workspace", workspace, "analyze", "--run", "9"});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("no run 9"));
  }
  void analyzeWithoutInputOrRun_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"analyze"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--input"));
  }
  void analyzeOnlyBadLines_fails() {
    auto dir = astro::test::freshTempDir("analyze_cli_bad");
    QString path = QString::fromStdString((dir / "bad.jsonl").string());
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write("nope\n");
    file.close();
    auto result = runProgram(ASTRO_CLI_PATH, {"analyze", "--input", path});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.err.contains("no usable samples"));
  }
  void analyzeVerlDump_readsThroughTheGenerationFormatsPlugin() {
    // astro loads the build tree's plugins itself; chat and verl come from generation-formats.
    auto dir = astro::test::freshTempDir("analyze_cli_verl");
    QString path = QString::fromStdString((dir / "40.jsonl").string());
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(
        R"({"input": "<|user|>5-2?", "output": "\\boxed{3}", "gts": "3", "score": 0.0, "step": 40, "data_source": "math500"})"
        "\n"
        R"({"messages": [{"role": "user", "content": "3*3?"}, {"role": "assistant", "content": "\\boxed{9}"}], "answer": "9", "step": 40, "benchmark": "math500"})"
        "\n");
    file.close();
    auto result = runProgram(ASTRO_CLI_PATH, {"analyze", "--input", path, "--bootstrap", "50"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.startsWith("imported 2 samples from 40.jsonl (0 bad lines)"),
             qPrintable(result.out + result.err));
    QVERIFY2(result.out.contains(QRegularExpression("math500 +40 +2 +2 +2 +1\\.0000")),
             qPrintable(result.out));
    auto forced = runProgram(ASTRO_CLI_PATH, {"analyze", "--input", path, "--format", "plain"});
    QCOMPARE(forced.exitCode, 1);  // neither line is plain
    QVERIFY2(forced.err.contains(":1: missing prompt"), qPrintable(forced.err));
  }
  void analyzeUnknownFormat_isUsageErrorListingTheFormats() {
    auto dir = astro::test::freshTempDir("analyze_cli_format");
    QString input = writeGenerations(dir);
    auto result = runProgram(ASTRO_CLI_PATH, {"analyze", "--input", input, "--format", "alpaca"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(R"("auto", "plain", "chat", "verl")"), qPrintable(result.err));
    QVERIFY2(result.err.contains("astro plugins"), qPrintable(result.err));
  }
  void analyzeHelp_listsOptions() {
    auto result = runProgram(ASTRO_CLI_PATH, {"analyze", "--help"});
    QCOMPARE(result.exitCode, 0);
    for (const char* option : {"--input", "--csv", "--detector", "--format", "--phrases"}) {
      QVERIFY2(result.out.contains(option), option);
    }
    // The formats registered at run time, the plugin's among them.
    QVERIFY2(
        result.out.simplified().contains("auto (detected per line) or one of plain, chat, verl"),
        qPrintable(result.out));
  }
};

QTEST_GUILESS_MAIN(AnalyzeCliTest)
#include "analyze_cli_test.moc"
