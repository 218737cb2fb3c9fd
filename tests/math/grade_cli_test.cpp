// `astro grade` and `astro dataset check` as outside checks call them: exact output lines,
// summary on stderr, exit codes 0/1/2.
#include <QtTest>

#include <fstream>

#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {
QString writeFile(const char* name, const std::string& bytes) {
  auto path = astro::test::freshTempDir("math_cli") / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return QString::fromStdString(path.string());
}
}  // namespace

class GradeCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void grade_printsOneVerdictPerLineInOrder() {
    QString input = writeFile("preds.jsonl",
                              "{\"prediction\": \"So $\\\\boxed{\\\\dfrac{1}{2}}$.\", "
                              "\"answer\": \"0.5\"}\n"
                              "{\"prediction\": \"The answer is 3\", \"answer\": 27.0}\n"
                              "{\"prediction\": \"\", \"answer\": \"4\"}\n");
    auto result = runProgram(ASTRO_CLI_PATH, {"grade", "--input", input});
    QCOMPARE(result.exitCode, 0);
    QStringList lines = result.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QString(R"({"correct":true,"extracted":"\\dfrac{1}{2}","rule":"rational"})"));
    QCOMPARE(lines[1], QString(R"({"correct":false,"extracted":"3","rule":"rational"})"));
    QCOMPARE(lines[2], QString(R"({"correct":false,"extracted":"","rule":"no-answer"})"));
    QVERIFY2(result.err.startsWith("graded 3: correct 1, wrong 2 (no answer 1), accuracy 33.33%"),
             qPrintable(result.err));
  }
  void grade_malformedLineNamesFileLineAndField() {
    QString input = writeFile("bad.jsonl", "{\"prediction\": \"1\", \"answer\": \"1\"}\n"
                                           "{\"answer\": \"1\"}\n");
    auto result = runProgram(ASTRO_CLI_PATH, {"grade", "--input", input});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("bad.jsonl:2: field 'prediction': missing"),
             qPrintable(result.err));
  }
  void grade_withoutInputIsUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"grade"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--input"));
  }
  void datasetCheck_reportsHashFormatAndRecords() {
    QString input = writeFile("tiny.jsonl", "{\"question\": \"q\", \"answer\": \"x\\n#### 7\"}\n");
    auto result = runProgram(ASTRO_CLI_PATH, {"dataset", "check", input});
    QCOMPARE(result.exitCode, 0);
    auto report = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(report["format"].toString(), QString("gsm8k"));
    QCOMPARE(report["records"].toInt(), 1);
    QCOMPARE(report["sha256"].toString().size(), 64);
  }
  void datasetCheck_skipBadCountsSkippedLines() {
    QString input = writeFile("mixed.jsonl", "{\"problem\": \"p\", \"answer\": \"1\"}\nnot json\n");
    auto strict = runProgram(ASTRO_CLI_PATH, {"dataset", "check", input});
    QCOMPARE(strict.exitCode, 1);
    QVERIFY(strict.err.contains("mixed.jsonl:2: not valid JSON"));
    auto lenient = runProgram(ASTRO_CLI_PATH, {"dataset", "check", input, "--skip-bad"});
    QCOMPARE(lenient.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(lenient.out.toUtf8()).object()["skipped"].toInt(), 1);
  }
  void datasetCheck_unknownFormatIsUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"dataset", "check", "x.jsonl", "--format", "nope"});
    QCOMPARE(result.exitCode, 2);
  }
};

QTEST_GUILESS_MAIN(GradeCliTest)
#include "grade_cli_test.moc"
