// The hand-written equivalence suite: every row asserts the exact verdict and the deciding rule.
// Rows live in cases_*.cpp by topic; as many negatives as positives.
#include <QtTest>

#include "core/math/equivalence.h"
#include "tests/math/equivalence_cases.h"

namespace mt = astro::math::test;

class EquivalenceTest : public QObject {
  Q_OBJECT

 private:
  static void columns() {
    QTest::addColumn<QString>("gold");
    QTest::addColumn<QString>("prediction");
    QTest::addColumn<bool>("correct");
    QTest::addColumn<QString>("rule");
  }
  static void check() {
    QFETCH(QString, gold);
    QFETCH(QString, prediction);
    QFETCH(bool, correct);
    QFETCH(QString, rule);
    auto verdict = astro::math::compareAnswers(gold.toStdString(), prediction.toStdString());
    QVERIFY2(verdict.equal == correct, qPrintable(QString("got %1 by %2 (%3)")
                                                      .arg(verdict.equal ? "equal" : "different")
                                                      .arg(QString::fromStdString(verdict.rule))
                                                      .arg(QString::fromStdString(verdict.reason))));
    QCOMPARE(QString::fromStdString(verdict.rule), rule);
  }

 private Q_SLOTS:
  void normalization_data() { columns(), mt::addNormalizationCases(); }
  void normalization() { check(); }
  void numbers_data() { columns(), mt::addNumberCases(); }
  void numbers() { check(); }
  void expressions_data() { columns(), mt::addExpressionCases(); }
  void expressions() { check(); }
  void structures_data() { columns(), mt::addStructureCases(); }
  void structures() { check(); }
  void traps_data() { columns(), mt::addTrapCases(); }
  void traps() { check(); }
  void nearMisses_data() { columns(), mt::addNearMissCases(); }
  void nearMisses() { check(); }
};

QTEST_GUILESS_MAIN(EquivalenceTest)
#include "equivalence_test.moc"
