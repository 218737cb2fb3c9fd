// Learning-rate schedule values, exactly.
#include <QtTest>

#include "core/base/error.h"
#include "core/train/lr_schedule.h"

using astro::train::DecayKind;
using astro::train::LrSchedule;

class LrScheduleTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void warmup_risesLinearlyToPeak() {
    LrSchedule schedule{.peakLearningRate = 1.0, .warmupSteps = 4, .totalSteps = 10};
    QCOMPARE(schedule.at(0), 0.25);
    QCOMPARE(schedule.at(1), 0.5);
    QCOMPARE(schedule.at(3), 1.0);
  }
  void cosine_decaysToFinalRatio() {
    LrSchedule schedule{.peakLearningRate = 2.0, .warmupSteps = 0, .totalSteps = 4,
                        .decay = DecayKind::Cosine, .finalRatio = 0.1};
    QCOMPARE(schedule.at(0), 2.0);
    QVERIFY(qAbs(schedule.at(2) - (0.2 + 1.8 * 0.5)) < 1e-12);  // half way: cos = 0
    QVERIFY(qAbs(schedule.at(4) - 0.2) < 1e-12);
    QVERIFY(qAbs(schedule.at(100) - 0.2) < 1e-12);  // clamped past the end
  }
  void constant_staysAtPeakAfterWarmup() {
    LrSchedule schedule{.peakLearningRate = 3e-6, .warmupSteps = 2, .totalSteps = 10,
                        .decay = DecayKind::Constant};
    QCOMPARE(schedule.at(1), 3e-6);
    QCOMPARE(schedule.at(9), 3e-6);
  }
  void parseDecayKind_rejectsUnknownNames() {
    QCOMPARE(astro::train::parseDecayKind("cosine"), DecayKind::Cosine);
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::train::parseDecayKind("linearish"));
  }
};

QTEST_APPLESS_MAIN(LrScheduleTest)
#include "lr_schedule_test.moc"
