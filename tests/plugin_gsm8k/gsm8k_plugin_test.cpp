// The GSM8K plugin through its C ABI alone, as the host sees it: the built .so is dlopened, its
// manifest read, its domain registered into a recording host, and grade/claims called on real
// GSM8K test lines (the reference solution is right, any other number wrong) and on hand cases
// for each equivalence rule and for malformed outputs.
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <fstream>
#include <memory>
#include <string>

#include "tests/plugin_gsm8k/plugin_grader.h"
#include "tests/support/test_support.h"

using astro::test::Gsm8kPlugin;

namespace {

std::unique_ptr<Gsm8kPlugin> plugin;

Gsm8kPlugin::Grade grade(const std::string& gold, const std::string& output,
                         const char* source = "gsm8k_test", std::size_t extractedSize = 256) {
  return plugin->grade(gold, output, source, extractedSize);
}

bool claims(const char* id, const char* source, const char* answer) {
  return plugin->claims(id, source, answer);
}

// `given` as the model's "#### ..." line against the gold `gold`.
bool same(const char* given, const char* gold) {
  return grade(gold, std::string("Some working.\n#### ") + given).correct;
}

}  // namespace

class Gsm8kPluginTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    try {
      plugin = std::make_unique<Gsm8kPlugin>(ASTRO_GSM8K_PLUGIN);
    } catch (const std::exception& error) {
      QFAIL(error.what());
    }
  }

  void manifest_namesTheGsm8kDomain() {
    const AstroPluginManifest& manifest = plugin->manifest();
    QCOMPARE(manifest.api_version, ASTRO_PLUGIN_API_VERSION);
    QCOMPARE(std::string(manifest.name), std::string("gsm8k"));
    QVERIFY(std::string(manifest.version).size() > 0);
    QCOMPARE(std::string(manifest.provides), std::string("domain:gsm8k"));
  }

  void register_addsOneDomainWithFreeTextSteps() {
    QVERIFY2(plugin->failure().empty(), plugin->failure().c_str());
    const AstroDomainV1& domain = plugin->domain();
    QCOMPARE(std::string(domain.name), std::string("gsm8k"));
    QCOMPARE(domain.struct_size, sizeof(AstroDomainV1));
    QVERIFY(domain.accepts_step == nullptr);
    QVERIFY(domain.reads_record != nullptr && domain.read_record != nullptr);
  }

  // Every reference solution of the GSM8K test set is right against its own gold, and wrong
  // against the gold plus one; every problem is claimed as the dataset reader names it.
  void realTestSet_referenceSolutionsAreRight_otherNumbersWrong() {
    ASTRO_REQUIRE_SHARED_FILE(file, "gsm8k_test.jsonl");
    std::ifstream in(file);
    std::string line;
    int lineNumber = 0;
    while (std::getline(in, line)) {
      ++lineNumber;
      QJsonObject record = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
      std::string solution = record["answer"].toString().toStdString();
      std::string gold = solution.substr(solution.rfind("####") + 4);
      gold = QString::fromStdString(gold).trimmed().toStdString();
      std::string id = "gsm8k_test:" + std::to_string(lineNumber);
      QVERIFY2(claims(id.c_str(), "gsm8k_test", gold.c_str()), id.c_str());
      Gsm8kPlugin::Grade right = grade(gold, solution);
      QVERIFY2(right.correct && right.rule == "numeric", (id + ": " + gold).c_str());
      QCOMPARE(right.extracted, gold);
      QCOMPARE(right.offset, solution.rfind(gold));
      // The same solution ending in a different number.
      std::string wrong = solution.substr(0, solution.rfind("####")) + "#### " + gold + "1";
      QVERIFY2(!grade(gold, wrong).correct, (id + ": " + gold).c_str());
    }
    QCOMPARE(lineNumber, 1319);
  }

  // The plugin's own dataset reader on every line of the real test set: each is detected, its
  // gold is the text after "####", and its solution keeps the working without the calculator
  // annotations.
  void datasetReader_readsEveryRealTestLine() {
    ASTRO_REQUIRE_SHARED_FILE(file, "gsm8k_test.jsonl");
    const AstroDomainV1& domain = plugin->domain();
    QVERIFY(domain.reads_record != nullptr && domain.read_record != nullptr);
    std::ifstream in(file);
    std::string line;
    int lineNumber = 0;
    int annotated = 0;
    while (std::getline(in, line)) {
      ++lineNumber;
      const std::string where = "gsm8k_test.jsonl:" + std::to_string(lineNumber);
      QVERIFY2(domain.reads_record(nullptr, line.c_str(), line.size()) == 1, where.c_str());
      QJsonObject record = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
      const std::string solution = record["answer"].toString().toStdString();
      const std::string gold =
          QString::fromStdString(solution.substr(solution.rfind("####") + 4)).trimmed().toStdString();
      AstroDatasetRecord read{};
      char field[64] = "";
      char error[256] = "";
      QVERIFY2(domain.read_record(nullptr, line.c_str(), line.size(), &read, field, sizeof field,
                                  error, sizeof error) == 0,
               (where + ": " + error).c_str());
      QCOMPARE(std::string(read.answer), gold);
      QCOMPARE(std::string(read.question),
               record["question"].toString().trimmed().toStdString());
      const std::string readSolution = read.solution;
      QVERIFY2(readSolution.find("<<") == std::string::npos, where.c_str());
      QVERIFY2(readSolution.find("####") == std::string::npos, where.c_str());
      QVERIFY(read.id == nullptr || std::string(read.id).empty());  // GSM8K lines have no id
      if (solution.find("<<") != std::string::npos) ++annotated;
    }
    QCOMPARE(lineNumber, 1319);
    QVERIFY(annotated > 1000);  // the annotations the reader drops are in most solutions
  }

  void datasetReader_refusesWithTheField() {
    const AstroDomainV1& domain = plugin->domain();
    struct Case {
      const char* line;
      int detected;
      const char* field;
      const char* error;
    };
    const Case cases[] = {
        {R"({"question": "How many?", "answer": "2 + 2 = <<2+2=4>>4\n#### 4"})", 1, "", ""},
        {R"({"question": "How many?", "answer": "#### five"})", 1, "answer",
         "\"five\" after #### is not a number"},
        {R"({"question": "How many?", "answer": "4 #### "})", 1, "answer", "empty after ####"},
        {R"({"question": "  ", "answer": "#### 4"})", 1, "question", "empty"},
        {R"({"question": "How many?", "answer": "#### 4", "id": [1]})", 1, "id",
         "expected a string or integer"},
        {R"({"problem": "MATH", "question": "q", "answer": "#### 4"})", 0, "", ""},
        {R"({"question": "q", "answer": "4"})", 0, "", ""},
        {R"(not json)", 0, "", "not a JSON object"},
    };
    for (const Case& c : cases) {
      const std::string line = c.line;
      QCOMPARE(domain.reads_record(nullptr, line.c_str(), line.size()), c.detected);
      if (c.detected == 0 && std::string(c.error).empty()) continue;
      AstroDatasetRecord read{};
      char field[64] = "unset";
      char error[256] = "";
      const int status = domain.read_record(nullptr, line.c_str(), line.size(), &read, field,
                                            sizeof field, error, sizeof error);
      QCOMPARE(std::string(error), std::string(c.error));
      if (std::string(c.error).empty()) {
        QCOMPARE(status, 0);
        QCOMPARE(std::string(read.solution), std::string("2 + 2 = 4"));
      } else {
        QVERIFY(status != 0);
        QCOMPARE(std::string(field), std::string(c.field));
      }
    }
  }

  void equivalence_eachRule() {
    QVERIFY(same("1,000", "1000"));  // thousands separators
    QVERIFY(same("1000", "1,000"));
    QVERIFY(same("1,450,000", "1450000"));
    QVERIFY(same("$18", "18"));  // currency before
    QVERIFY(same("\\$18", "18"));
    QVERIFY(same("18.", "18"));         // sentence-ending point
    QVERIFY(same("50%", "50"));         // percent sign
    QVERIFY(same("18 dollars", "18"));  // units after
    QVERIFY(same("$1,200 per week.", "1200"));
    QVERIFY(same("3.50", "3.5"));  // trailing zeros
    QVERIFY(same("3.5", "3.50"));
    QVERIFY(same(".5", "0.5"));
    QVERIFY(same("7/2", "3.5"));  // fractions
    QVERIFY(same("\\frac{7}{2}", "3.5"));
    QVERIFY(same("-\\frac{1}{2}", "-0.5"));
    QVERIFY(same("1/2", "0.5"));
    QVERIFY(same("5/.5", "10"));
    QVERIFY(same("-10", "-10"));       // negatives
    QVERIFY(same("\u221210", "-10"));  // U+2212 MINUS SIGN
    QVERIFY(same("-0", "0"));
    QVERIFY(same("**18**", "18"));       // Markdown
    QVERIFY(same("5 + 13 = 18", "18"));  // the result of an equation
    QVERIFY(same("18.0", "18"));
    QVERIFY(same("123456789012345678", "123456789012345678"));

    QVERIFY(!same("10", "-10"));
    QVERIFY(!same("3.49", "3.5"));
    QVERIFY(!same("1000001", "1000000"));                        // no relative epsilon
    QVERIFY(!same("0.0001", "0.0002"));                          // no absolute epsilon
    QVERIFY(!same("123456789012345679", "123456789012345678"));  // beyond a double's 2^53
    QVERIFY(!same("50%", "0.5"));
    QVERIFY(!same("1,00", "100"));  // not a thousands group
    QVERIFY(!same("7/0", "0"));
  }

  void extraction_hashesThenBoxOrPhraseThenLastNumber() {
    Gsm8kPlugin::Grade hashes = grade("6", "\\boxed{5}\nThe answer is 4.\n#### 6");
    QVERIFY(hashes.correct);
    QCOMPARE(hashes.rule, std::string("numeric"));
    QCOMPARE(hashes.extracted, std::string("6"));
    Gsm8kPlugin::Grade boxed = grade("18", "She earns 9 * 2 = 18. The answer is \\boxed{18}.");
    QVERIFY(boxed.correct);
    QCOMPARE(boxed.extracted, std::string("18"));
    Gsm8kPlugin::Grade phrase = grade("18", "9 * 2 = 18 so the answer is $18 a day. Then 7 more.");
    QVERIFY(phrase.correct);
    QCOMPARE(phrase.extracted, std::string("$18 a day"));
    Gsm8kPlugin::Grade last = grade("18", "She sells 16 - 3 - 4 = 9 eggs for $2 each, making $18.");
    QVERIFY(last.correct);
    QCOMPARE(last.extracted, std::string("18"));
    QCOMPARE(last.offset,
             std::string("She sells 16 - 3 - 4 = 9 eggs for $2 each, making $").size());
    QVERIFY(grade("3", "1, 2, 3").correct);  // a list: its last member
    QVERIFY(grade("2023", "on 12/25/2023").correct);
  }

  void malformedOutputs_areGradedWrongWithoutCrashing() {
    Gsm8kPlugin::Grade empty = grade("18", "");
    QVERIFY(!empty.found && !empty.correct);
    QCOMPARE(empty.rule, std::string("no-answer"));
    QVERIFY(!grade("18", "no digits here at all").found);
    QVERIFY(!grade("18", "####\n").found);  // an empty "####" line and nothing else
    Gsm8kPlugin::Grade words = grade("18", "#### banana");
    QVERIFY(words.found && !words.correct);
    QCOMPARE(words.rule, std::string("not-a-number"));
    QVERIFY(!grade("18", "#### 999999999999999999999999").correct);  // past kMaxDigits
    QVERIFY(grade("18", "truncated \\boxed{18").correct);  // an unclosed box: the last number
    QVERIFY(!grade("18", "\\boxed{}").correct);
    QVERIFY(!grade("18", std::string("#### 1\0"
                                     "8",
                                     8))
                 .correct);                                 // a NUL inside the output
    QVERIFY(grade("18", "\xff\xfe #### 18 \xc3").correct);  // invalid UTF-8 around it
    Gsm8kPlugin::Grade truncated = grade("12345", "#### 12345", "gsm8k_test", 4);
    QVERIFY(truncated.correct);
    QCOMPARE(truncated.extracted, std::string("123"));  // the host's buffer size is kept
    // A gold this domain cannot read grades nothing right.
    QCOMPARE(grade("\\sqrt{2}", "#### 2").rule, std::string("gold-not-a-number"));
    // Null arguments are an internal error, not a crash.
    QVERIFY(plugin->domain().grade(nullptr, nullptr, "x", 1, nullptr) != 0);
  }

  void claims_gsm8kFilesWithPlainNumberGolds() {
    QVERIFY(claims("gsm8k_train:3", "gsm8k_train", "72"));
    QVERIFY(claims("x", "GSM8K", "1,450,000"));
    QVERIFY(claims("gsm8k_test:9", "", "-10"));  // samples read back from a run keep only the id
    QVERIFY(!claims("math500:1", "math500", "72"));
    QVERIFY(!claims("test/algebra/1.json", "math500", "\\frac{1}{2}"));
    QVERIFY(!claims("gsm8k_test:1", "gsm8k_test", "\\frac{1}{2}"));
    QVERIFY(!claims("gsm8k_test:1", "gsm8k_test", "18 dollars"));
    QVERIFY(!claims("gsm", "gsm", "1"));
    QVERIFY(!claims("gsm8k_test:1", "gsm8k_test", "3."));  // a gold is a whole number text
    QVERIFY(!claims("gsm8k_test:1", "gsm8k_test", "1000,000"));
    QVERIFY(!claims(nullptr, nullptr, nullptr));
    QVERIFY(plugin->domain().claims(nullptr, nullptr) == 0);
  }

  void cleanupTestCase() { plugin.reset(); }
};

QTEST_GUILESS_MAIN(Gsm8kPluginTest)
#include "gsm8k_plugin_test.moc"
