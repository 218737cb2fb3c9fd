// `astro tokenize`: one {"ids": [...]} line per input line, in order, exit 1 naming file:line
// and field for malformed input, exit 2 for bad usage.
#include <QtTest>
#include <fstream>

#include "tests/support/test_support.h"
#include "tests/tokenizer/tiny_fixture.h"

using astro::test::runProgram;

namespace {

QString writeInput(const std::filesystem::path& dir, const std::string& name,
                   const std::string& contents) {
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << contents;
  return QString::fromStdString(path.string());
}

QString tinyDir() { return QString::fromStdString(astro::test::tinyTokenizerDir().string()); }

}  // namespace

class TokenizeCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void tokenize_printsIdsPerLineInOrder() {
    auto dir = astro::test::freshTempDir("tokenize-ok");
    auto input = writeInput(dir, "in.jsonl",
                            "{\"text\": \"The answer\"}\n{\"text\": \"<|eot_id|>\", \"id\": 3}\n"
                            "{\"text\": \"\"}\n");
    auto result =
        runProgram(ASTRO_CLI_PATH, {"tokenize", "--tokenizer", tinyDir(), "--input", input});
    QCOMPARE(result.exitCode, 0);
    auto tiny = astro::tokenizer::Tokenizer::fromDirectory(astro::test::tinyTokenizerDir());
    std::string expected = "{\"ids\":" + nlohmann::json(tiny.encode("The answer")).dump() +
                           "}\n{\"ids\":[560]}\n{\"ids\":[]}\n";
    QCOMPARE(result.out.toStdString(), expected);
    QCOMPARE(result.err, QString());
  }
  void tokenize_acceptsTokenizerJsonPath() {
    auto dir = astro::test::freshTempDir("tokenize-file");
    auto input = writeInput(dir, "in.jsonl", "{\"text\": \"<|begin_of_text|>The\"}\n");
    auto json = tinyDir() + "/tokenizer.json";
    auto result = runProgram(ASTRO_CLI_PATH, {"tokenize", "--tokenizer", json, "--input", input});
    QCOMPARE(result.exitCode, 0);
    auto tiny = astro::tokenizer::Tokenizer::fromDirectory(astro::test::tinyTokenizerDir());
    QCOMPARE(result.out, QString("{\"ids\":[556,%1]}\n").arg(*tiny.tokenId("The")));
  }
  void malformedLine_namesFileAndLine() {
    auto dir = astro::test::freshTempDir("tokenize-bad-json");
    auto input = writeInput(dir, "in.jsonl", "{\"text\": \"a\"}\n{\"text\": \n");
    auto result =
        runProgram(ASTRO_CLI_PATH, {"tokenize", "--tokenizer", tinyDir(), "--input", input});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err, "astro: error: " + input + ":2: not a JSON object\n");
  }
  void missingTextField_namesField() {
    auto dir = astro::test::freshTempDir("tokenize-no-text");
    auto input = writeInput(dir, "in.jsonl", "{\"text\": \"a\"}\n{\"txt\": \"b\"}\n");
    auto result =
        runProgram(ASTRO_CLI_PATH, {"tokenize", "--tokenizer", tinyDir(), "--input", input});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err, "astro: error: " + input + ":2: field 'text': missing or not a string\n");
  }
  void missingTokenizer_exitsOne() {
    auto dir = astro::test::freshTempDir("tokenize-no-tokenizer");
    auto input = writeInput(dir, "in.jsonl", "{\"text\": \"a\"}\n");
    auto result = runProgram(
        ASTRO_CLI_PATH,
        {"tokenize", "--tokenizer", QString::fromStdString(dir.string()), "--input", input});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.err.contains("tokenizer.json"));
  }
  void missingOption_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"tokenize", "--tokenizer", tinyDir()});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--input"));
  }
  void help_describesOptions() {
    auto result = runProgram(ASTRO_CLI_PATH, {"tokenize", "--help"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains("--tokenizer"));
    QVERIFY(result.out.contains("--input"));
  }
};

QTEST_GUILESS_MAIN(TokenizeCliTest)
#include "tokenize_cli_test.moc"
