// Self-consistency on the shipped datasets: each reference solution, graded as a model output
// against its own gold answer, must be judged correct. Misses are printed so they can be read.
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/math/answer_extraction.h"
#include "core/math/latex_normalize.h"
#include "core/math/math_verifier.h"
#include "tests/support/test_support.h"

using namespace astro::math;

namespace {
struct Tally {
  int graded = 0;
  int correct = 0;
  double percent() const { return graded == 0 ? 0 : 100.0 * correct / graded; }
};

template <typename GoldAndOutput>
Tally gradeFile(const std::filesystem::path& path, GoldAndOutput goldAndOutput) {
  Tally tally;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto record = nlohmann::json::parse(line);
    auto [gold, output] = goldAndOutput(record);
    Verdict verdict = gradeAnswer(gold, output);
    ++tally.graded;
    if (verdict.correct) {
      ++tally.correct;
    } else {
      qInfo("miss: gold '%s' extracted '%s' rule %s", gold.c_str(), verdict.extracted.c_str(),
            verdict.rule.c_str());
    }
  }
  return tally;
}
}  // namespace

class SelfConsistencyTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void math500_solutionsMatchAnswers() {
    ASTRO_REQUIRE_SHARED_FILE(path, "math500.jsonl");
    Tally tally = gradeFile(path, [](const nlohmann::json& r) {
      return std::pair{r["answer"].get<std::string>(), r["solution"].get<std::string>()};
    });
    qInfo("math500: %d/%d (%.2f%%)", tally.correct, tally.graded, tally.percent());
    QCOMPARE(tally.graded, 500);
    QVERIFY(tally.percent() >= 99.6);
  }
  // MATH train has no answer field: the gold is the normalised last \boxed{} of the solution.
  // Two solutions end in an empty \boxed{} in the source data and can never be graded correct.
  void mathTrain_solutionsMatchNormalisedAnswers() {
    ASTRO_REQUIRE_SHARED_FILE(path, "math_train.jsonl");
    Tally tally = gradeFile(path, [](const nlohmann::json& r) {
      std::string solution = r["solution"].get<std::string>();
      auto extraction = extractAnswer(solution);
      return std::pair{extraction ? normalizeAnswer(extraction->text) : std::string(), solution};
    });
    qInfo("math train: %d/%d (%.2f%%)", tally.correct, tally.graded, tally.percent());
    QCOMPARE(tally.graded, 7500);
    QCOMPARE(tally.correct, 7498);
  }
  void normaliser_isIdempotentOnMathTrainAnswers() {
    ASTRO_REQUIRE_SHARED_FILE(path, "math_train.jsonl");
    std::ifstream in(path);
    std::string line;
    int checked = 0;
    while (std::getline(in, line)) {
      auto solution = nlohmann::json::parse(line)["solution"].get<std::string>();
      auto extraction = extractAnswer(solution);
      if (!extraction) continue;
      std::string once = normalizeAnswer(extraction->text);
      QCOMPARE(normalizeAnswer(once), once);
      ++checked;
    }
    QVERIFY(checked >= 7498);
  }
  void gsm8k_solutionsMatchAnswers_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("test") << "gsm8k_test.jsonl";
    QTest::newRow("train") << "gsm8k_train.jsonl";
  }
  void gsm8k_solutionsMatchAnswers() {
    QFETCH(QString, file);
    ASTRO_REQUIRE_SHARED_FILE(path, file);
    Tally tally = gradeFile(path, [](const nlohmann::json& r) {
      std::string solution = r["answer"].get<std::string>();
      std::string gold = solution.substr(solution.rfind("####") + 4);
      return std::pair{gold, solution};
    });
    qInfo("%s: %d/%d (%.2f%%)", qPrintable(file), tally.correct, tally.graded, tally.percent());
    QCOMPARE(tally.correct, tally.graded);
  }
};

QTEST_GUILESS_MAIN(SelfConsistencyTest)
#include "self_consistency_test.moc"
