// Rows for the data-driven equivalence suite: each case is gold, prediction, the exact verdict
// and the rule that must decide it. One file per topic adds its rows.
#pragma once

#include <QtTest>

namespace astro::math::test {

// Adds one row named "<gold> || <prediction>" (names stay unique and say what failed).
inline void addCase(const char* gold, const char* prediction, bool correct, const char* rule) {
  QTest::newRow(qPrintable(QString("%1 || %2").arg(gold, prediction)))
      << QString::fromUtf8(gold) << QString::fromUtf8(prediction) << correct << QString(rule);
}

void addNormalizationCases();
void addNumberCases();
void addExpressionCases();
void addStructureCases();
void addTrapCases();
void addNearMissCases();

}  // namespace astro::math::test
