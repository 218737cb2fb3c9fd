// Dataset loaders: every shipped format is detected and read with the right answers, and
// malformed input stops with file, line and field (or is skipped and counted with skipBad).
#include <QtTest>

#include <fstream>

#include "core/base/error.h"
#include "core/math/dataset_loader.h"
#include "tests/support/test_support.h"

using namespace astro::math;

namespace {
std::filesystem::path writeFile(const QString& name, const std::string& bytes) {
  auto path = astro::test::freshTempDir("math_dataset") / name.toStdString();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// A domain's own format for the reader tests: {"puzzle": ..., "solution": N}; a record without a
// numeric solution is refused naming the field.
RecordReader puzzleReader() {
  return RecordReader{
      .name = "puzzles",
      .detects = [](std::string_view line) { return line.find("\"puzzle\"") != line.npos; },
      .read =
          [](std::string_view line) {
            auto record = nlohmann::json::parse(line);
            if (!record.contains("solution") || !record["solution"].is_number_integer()) {
              throw RecordError{"solution", "expected an integer"};
            }
            Problem problem;
            problem.question = record["puzzle"].get<std::string>();
            problem.answer = std::to_string(record["solution"].get<int>());
            problem.source = "ignored: the loader names the source";
            return problem;
          },
  };
}

QString parseErrorOf(const std::filesystem::path& path, LoadOptions options = {}) {
  try {
    loadDataset(path, options);
  } catch (const astro::ParseError& error) {
    return QString::fromStdString(error.what());
  }
  return {};
}
}  // namespace

class DatasetLoaderTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void math500_readsAllFieldsAndAnswers() {
    ASTRO_REQUIRE_SHARED_FILE(path, "math500.jsonl");
    auto loaded = loadDataset(path);
    QCOMPARE(loaded.problems.size(), std::size_t(500));
    QCOMPARE(int(loaded.format), int(DatasetFormat::kMath));
    const Problem& first = loaded.problems[0];
    QCOMPARE(first.answer, std::string("\\left( 3, \\frac{\\pi}{2} \\right)"));
    QCOMPARE(first.id, std::string("test/precalculus/807.json"));
    QCOMPARE(first.subject, std::string("Precalculus"));
    QCOMPARE(first.level, 2);
    QCOMPARE(first.source, std::string("math500"));
  }
  void mathTrain_takesAnswerFromLastBoxedAndLevelFromString() {
    ASTRO_REQUIRE_SHARED_FILE(path, "math_train.jsonl");
    auto loaded = loadDataset(path, {.skipBad = true});
    QCOMPARE(loaded.problems.size(), std::size_t(7498));
    // Two solutions end in an empty \boxed{} in the source data: skipped with a reason.
    QCOMPARE(loaded.skipped.size(), std::size_t(2));
    QVERIFY(loaded.skipped[0].reason.find("field 'solution'") != std::string::npos);
    QCOMPARE(loaded.problems[0].subject, std::string("Algebra"));
    QVERIFY(loaded.problems[0].level >= 1 && loaded.problems[0].level <= 5);
    QVERIFY(!loaded.problems[0].answer.empty());
  }
  void competition_readsFloatAndZeroPaddedAnswers() {
    ASTRO_REQUIRE_SHARED_FILE(amc, "amc23.jsonl");
    ASTRO_REQUIRE_SHARED_FILE(aime, "aime24.jsonl");
    auto amcSet = loadDataset(amc);
    QCOMPARE(int(amcSet.format), int(DatasetFormat::kCompetition));
    QCOMPARE(amcSet.problems.size(), std::size_t(40));
    QCOMPARE(amcSet.problems[0].answer, std::string("27"));
    QCOMPARE(amcSet.problems[0].id, std::string("0"));
    auto aimeSet = loadDataset(aime);
    QCOMPARE(aimeSet.problems.size(), std::size_t(30));
    QCOMPARE(aimeSet.problems[7].answer, std::string("25"));  // shipped as "025"
  }
  void gsm8k_takesAnswerAfterHashes() {
    ASTRO_REQUIRE_SHARED_FILE(path, "gsm8k_test.jsonl");
    auto loaded = loadDataset(path);
    QCOMPARE(int(loaded.format), int(DatasetFormat::kGsm8k));
    QCOMPARE(loaded.problems.size(), std::size_t(1319));
    QCOMPARE(loaded.problems[0].answer, std::string("18"));
    QVERIFY(loaded.problems[0].solution.find("####") != std::string::npos);
  }
  void generic_readsProblemAnswerAndOptionalFields() {
    auto path = writeFile("generic.jsonl",
                          "{\"problem\": \"1+1?\", \"answer\": 2}\n"
                          "{\"problem\": \"x?\", \"answer\": \"\\\\frac12\", \"level\": 3}\n");
    auto loaded = loadDataset(path);
    QCOMPARE(int(loaded.format), int(DatasetFormat::kGeneric));
    QCOMPARE(loaded.problems.size(), std::size_t(2));
    QCOMPARE(loaded.problems[0].answer, std::string("2"));
    QCOMPARE(loaded.problems[0].id, std::string("generic:1"));
    QCOMPARE(loaded.problems[1].answer, std::string("\\frac12"));
    QCOMPARE(loaded.problems[1].level, 3);
  }
  void badJson_namesFileAndLine() {
    auto path = writeFile("bad.jsonl", "{\"problem\": \"a\", \"answer\": \"1\"}\n{oops\n");
    QString message = parseErrorOf(path);
    QVERIFY2(message.endsWith("bad.jsonl:2: not valid JSON"), qPrintable(message));
  }
  void missingField_namesField() {
    auto path = writeFile("missing.jsonl", "{\"question\": \"q\", \"answer\": \"no hashes\"}\n");
    QString message = parseErrorOf(path, {.format = DatasetFormat::kGsm8k});
    QVERIFY2(message.endsWith("missing.jsonl:1: field 'answer': no \"#### <answer>\" line"),
             qPrintable(message));
  }
  void wrongType_namesFieldAndType() {
    auto path = writeFile("type.jsonl", "{\"problem\": 5, \"answer\": \"1\"}\n");
    QString message = parseErrorOf(path, {.format = DatasetFormat::kGeneric});
    QVERIFY2(message.endsWith("type.jsonl:1: field 'problem': expected a string, got number"),
             qPrintable(message));
  }
  void badLevel_namesField() {
    auto path = writeFile("level.jsonl",
                          "{\"problem\": \"p\", \"solution\": \"\\\\boxed{1}\", \"level\": \"hard\"}\n");
    QString message = parseErrorOf(path);
    QVERIFY2(message.contains("level.jsonl:1: field 'level'"), qPrintable(message));
  }
  void emptyFile_isAnErrorEvenWhenSkipping() {
    auto path = writeFile("empty.jsonl", "");
    QVERIFY(parseErrorOf(path, {.skipBad = true}).endsWith("empty.jsonl: file is empty"));
  }
  void notUtf8_namesLine() {
    auto path = writeFile("latin1.jsonl", "{\"problem\": \"caf\xE9\", \"answer\": \"1\"}\n");
    QVERIFY(parseErrorOf(path).endsWith("latin1.jsonl:1: not valid UTF-8"));
  }
  void skipBad_keepsGoingAndCounts() {
    auto path = writeFile("mixed.jsonl",
                          "{\"problem\": \"a\", \"answer\": \"1\"}\n"
                          "not json\n"
                          "{\"problem\": \"b\"}\n"
                          "{\"problem\": \"c\", \"answer\": \"3\"}\n");
    auto loaded = loadDataset(path, {.skipBad = true});
    QCOMPARE(loaded.problems.size(), std::size_t(2));
    QCOMPARE(loaded.skipped.size(), std::size_t(2));
    QCOMPARE(loaded.skipped[0].line, std::int64_t(2));
    QCOMPARE(loaded.skipped[1].line, std::int64_t(3));
  }
  void recordReader_readsTheFileItDetects_beforeBuiltInFormats() {
    // The first record would also pass for the generic format ("question" + "answer").
    auto path = writeFile("puzzles.jsonl",
                          "{\"puzzle\": \"p1\", \"question\": \"q\", \"answer\": \"x\", "
                          "\"solution\": 4}\n\n{\"puzzle\": \"p2\", \"solution\": 7}\n");
    auto loaded = loadDataset(path, {.readers = {puzzleReader()}});
    QCOMPARE(loaded.reader, std::string("puzzles"));
    QCOMPARE(loaded.problems.size(), std::size_t(2));
    QCOMPARE(loaded.problems[0].question, std::string("p1"));
    QCOMPARE(loaded.problems[1].answer, std::string("7"));
    QCOMPARE(loaded.problems[1].id, std::string("puzzles:3"));  // the line, blank lines counted
    QCOMPARE(loaded.problems[1].source, std::string("puzzles"));
    QCOMPARE(describeDataset(path, loaded).format, std::string("puzzles"));
  }
  void recordReader_notDetected_leavesTheBuiltInFormats() {
    auto path = writeFile("plain.jsonl", "{\"problem\": \"a\", \"answer\": \"1\"}\n");
    auto loaded = loadDataset(path, {.readers = {puzzleReader()}});
    QCOMPARE(loaded.reader, std::string());
    QCOMPARE(int(loaded.format), int(DatasetFormat::kGeneric));
    QCOMPARE(describeDataset(path, loaded).format, std::string("generic"));
  }
  void recordReader_errorNamesFileLineAndField_orIsSkipped() {
    auto path = writeFile("bad_puzzles.jsonl",
                          "{\"puzzle\": \"p1\", \"solution\": 4}\n"
                          "{\"puzzle\": \"p2\", \"solution\": \"four\"}\n"
                          "{\"puzzle\": \"p3\", \"solution\": 5}\n");
    QString error = parseErrorOf(path, {.readers = {puzzleReader()}});
    QVERIFY2(error.contains("bad_puzzles.jsonl:2") && error.contains("field 'solution'") &&
                 error.contains("expected an integer"),
             qPrintable(error));
    auto lenient = loadDataset(path, {.skipBad = true, .readers = {puzzleReader()}});
    QCOMPARE(lenient.problems.size(), std::size_t(2));
    QCOMPARE(lenient.skipped.size(), std::size_t(1));
    QCOMPARE(lenient.skipped[0].line, std::int64_t(2));
  }
  void recordReader_forcedFormatSkipsReaders() {
    auto path = writeFile("forced.jsonl",
                          "{\"puzzle\": \"p\", \"problem\": \"a\", \"answer\": \"1\"}\n");
    auto loaded =
        loadDataset(path, {.format = DatasetFormat::kGeneric, .readers = {puzzleReader()}});
    QCOMPARE(loaded.reader, std::string());
    QCOMPARE(loaded.problems[0].question, std::string("a"));
  }
  void missingFile_isIoError() {
    QVERIFY_THROWS_EXCEPTION(astro::IoError, loadDataset("/nonexistent/x.jsonl"));
  }
  void describe_hashesFileBytes() {
    ASTRO_REQUIRE_SHARED_FILE(path, "math500.jsonl");
    auto info = describeDataset(path, loadDataset(path));
    QCOMPARE(info.sha256,
             std::string("35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132"));
    QCOMPARE(info.records, std::int64_t(500));
    QCOMPARE(info.format, std::string("math"));
    QCOMPARE(info.name, std::string("math500"));
  }
  void utf8Validator_rejectsOverlongAndSurrogates() {
    QVERIFY(isValidUtf8("plain \xCF\x80 \xE2\x88\x9E \xF0\x9F\x98\x80"));
    QVERIFY(!isValidUtf8("\xC0\xAF"));          // overlong '/'
    QVERIFY(!isValidUtf8("\xED\xA0\x80"));      // surrogate
    QVERIFY(!isValidUtf8("\xE2\x88"));          // truncated
  }
};

QTEST_GUILESS_MAIN(DatasetLoaderTest)
#include "dataset_loader_test.moc"
