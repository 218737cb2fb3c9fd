// Answer extraction from full model outputs: which marker wins, nested braces, where the answer
// sits in the text, and outputs with no answer at all.
#include <QtTest>

#include "core/math/answer_extraction.h"
#include "core/math/math_verifier.h"

using astro::math::extractAnswer;

class ExtractionTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void extract_data() {
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("method");
    auto row = [](const char* output, const char* text, const char* method) {
      QTest::newRow(output) << QString(output) << QString(text) << QString(method);
    };
    row("So the sum is $\\boxed{42}$.", "42", "boxed");
    row("First \\boxed{1}, then \\boxed{2}.", "2", "boxed");
    row("$\\boxed{\\frac{1}{\\sqrt{2}}}$", "\\frac{1}{\\sqrt{2}}", "boxed");
    row("\\boxed{\\{1,2\\}}", "\\{1,2\\}", "boxed");
    row("answer: \\fbox{7}", "7", "fbox");
    row("\\boxed{3} and later \\fbox{4}", "4", "fbox");
    row("\\boxed 5$ done", "5", "boxed");
    row("\\boxed{8} then truncated \\boxed{9", "8", "boxed");
    row("Thus the final answer is $\\frac{3}{4}$. I hope", "\\frac{3}{4}", "phrase");
    row("The answer is 3.5.", "3.5", "phrase");
    row("So the answer is (B).\nDone", "(B)", "phrase");
    row("Final Answer: 12", "12", "phrase");
    row("The answer is 4. Wait, the answer is 5.", "5", "phrase");
    row("Natalia sold 48/2 = 24 clips.\n#### 72", "72", "hashes");
    row("#### 1,000\n", "1,000", "hashes");
    row("so the answer is <<8=8>>8 cookies\n#### 8", "8", "hashes");
    row("#### 5\nOn reflection the answer is 6", "6", "phrase");
    row("  7  ", "7", "bare");
    row("\\text{(C)}", "\\text{(C)}", "bare");
  }
  void extract() {
    QFETCH(QString, output);
    QFETCH(QString, text);
    QFETCH(QString, method);
    std::string bytes = output.toStdString();
    auto extraction = extractAnswer(bytes);
    QVERIFY(extraction.has_value());
    QCOMPARE(QString::fromStdString(extraction->text), text);
    QCOMPARE(QString::fromStdString(extraction->method), method);
    QCOMPARE(QString::fromStdString(bytes.substr(extraction->offset, extraction->text.size())),
             text);
  }
  void longReasoningWithoutMarker_hasNoAnswer() {
    std::string output(300, 'a');
    QVERIFY(!extractAnswer(output).has_value());
    QVERIFY(!extractAnswer("first line\nsecond line").has_value());
    QVERIFY(!extractAnswer("").has_value());
    QVERIFY(!extractAnswer("\\boxed{unclosed").has_value());
  }
  void gradeAnswer_reportsRuleExtractedAndOffset() {
    auto verdict = astro::math::gradeAnswer("\\frac{1}{2}", "We get $\\boxed{0.5}$.");
    QVERIFY(verdict.correct);
    QVERIFY(verdict.answerFound);
    QCOMPARE(verdict.extracted, std::string("0.5"));
    QCOMPARE(verdict.rule, std::string("rational"));
    QCOMPARE(verdict.answerOffset, std::size_t(15));
  }
  void gradeAnswer_missingAnswerIsWrong() {
    auto verdict = astro::math::gradeAnswer("5", std::string(400, 'x'));
    QVERIFY(!verdict.correct);
    QVERIFY(!verdict.answerFound);
    QCOMPARE(verdict.rule, std::string("no-answer"));
  }
  void hugeOrDeepInput_returnsQuicklyAsWrong() {
    QElapsedTimer timer;
    timer.start();
    std::string huge = "\\boxed{" + std::string(1 << 20, '1') + "}";
    QCOMPARE(astro::math::gradeAnswer("1", huge).rule, std::string("too-long"));
    std::string manySpaces;
    for (int i = 0; i < 1000; ++i) manySpaces += "1,\\!";
    QVERIFY(!astro::math::gradeAnswer("1", "\\boxed{" + manySpaces + "}").correct);
    std::string deep = std::string(1000, '(') + "1" + std::string(1000, ')');
    QVERIFY(!astro::math::gradeAnswer("1", deep).correct);
    std::string deepBraces = std::string(1500, '{') + "1" + std::string(1500, '}');
    QVERIFY(!astro::math::gradeAnswer("2", "\\boxed{" + deepBraces + "}").correct);
    QVERIFY(timer.elapsed() < 2000);
  }
  void mathVerifier_gradesProblemAnswer() {
    astro::math::Problem problem;
    problem.answer = "025";
    astro::math::MathVerifier verifier;
    QCOMPARE(verifier.name(), std::string("math"));
    QVERIFY(verifier.grade(problem, "The answer is 25.").correct);
    QVERIFY(!verifier.grade(problem, "The answer is 250.").correct);
  }
};

QTEST_GUILESS_MAIN(ExtractionTest)
#include "extraction_test.moc"
