// The miniature experiment's data and SFT budget options (miniature_options.h): the presets keep
// one search trace and no mixing, --search-traces and --mix-direct reach the report's options
// block, out-of-range values are refused naming the flag, and the SFT step budget gives both
// arms the same optimizer steps when their example counts differ.
#include "core/experiment/miniature_options.h"

#include <QtTest>

#include "core/base/error.h"
#include "core/experiment/miniature_experiment.h"
#include "tests/support/test_support.h"

using namespace astro;

namespace {

// The UsageError's message, or "" when `options` pass.
QString validationError(const experiment::MiniatureOptions& options) {
  try {
    experiment::validateMiniatureOptions(options);
  } catch (const UsageError& error) {
    return QString::fromUtf8(error.what());
  }
  return {};
}

}  // namespace

class MiniatureOptionsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void presets_oneSearchTraceAndNoMixing() {
    for (const auto& options :
         {experiment::quickMiniatureOptions(), experiment::fullMiniatureOptions()}) {
      QCOMPARE(options.exportOptions.linearize.sequencesPerTree, 1);
      QVERIFY(!options.mixDirect);
      const auto linearize = options.toJson()["linearize"];
      QCOMPARE(linearize["sequences_per_tree"].get<int>(), 1);
      QCOMPARE(linearize["mix_direct"].get<bool>(), false);
      QCOMPARE(validationError(options), QString());
    }
  }
  // The full preset measures as issue #21 asks: 8 samples per held-out puzzle at temperature 1
  // with pass@8 and greedy, all of the held-out split, and at least 8 checkpoints per arm.
  void fullPreset_measuresWithEightSamplesAndNineCheckpoints() {
    const auto full = experiment::fullMiniatureOptions();
    QCOMPARE(full.evaluation.samplesPerProblem, 8);
    QCOMPARE(full.evaluation.temperature, 1.0);
    QCOMPARE(full.evaluation.reportPassAtK, (std::vector<int>{1, 8}));
    QCOMPARE(full.heldOutLimit, 0);
    QVERIFY(full.base.testProblems >= 1000);
    const int checkpoints = 1 + full.rl.steps / full.rl.checkpointEvery;  // the SFT model + RL's
    QVERIFY2(checkpoints >= 8, qPrintable(QString::number(checkpoints)));
  }
  // Both presets train one example per row (packing changes the speed, not the loss).
  void presets_sftOneExamplePerRow() {
    for (const auto& options :
         {experiment::quickMiniatureOptions(), experiment::fullMiniatureOptions()}) {
      QVERIFY(!options.sft.pack);
    }
  }
  void toJson_recordsSearchTracesAndMixDirect() {
    auto options = experiment::quickMiniatureOptions();
    options.exportOptions.linearize.sequencesPerTree = 3;
    options.mixDirect = true;
    const auto linearize = options.toJson()["linearize"];
    QCOMPARE(linearize["sequences_per_tree"].get<int>(), 3);
    QCOMPARE(linearize["mix_direct"].get<bool>(), true);
  }
  void groundedReflections_offByDefaultAndRecorded() {
    for (auto options : {experiment::quickMiniatureOptions(), experiment::fullMiniatureOptions()}) {
      QVERIFY(!options.groundedReflections);
      QVERIFY(!options.exportOptions.render.groundedCheck);
      QCOMPARE(options.toJson()["linearize"]["grounded_reflections"].get<bool>(), false);
      options.groundedReflections = true;
      QCOMPARE(options.toJson()["linearize"]["grounded_reflections"].get<bool>(), true);
    }
  }
  void keepInvalidStepsAndAffirmSteps_offByDefaultAndRecorded() {
    for (auto options : {experiment::quickMiniatureOptions(), experiment::fullMiniatureOptions()}) {
      QVERIFY(!options.mcts.keepInvalidSteps);
      QVERIFY(!options.exportOptions.render.affirmStepsWithQAtLeast);
      QCOMPARE(options.toJson()["search"]["keep_invalid_steps"].get<bool>(), false);
      QVERIFY(options.toJson()["linearize"]["affirm_steps_with_q_at_least"].is_null());
      options.mcts.keepInvalidSteps = true;
      options.exportOptions.render.affirmStepsWithQAtLeast = -1.0;
      QCOMPARE(options.toJson()["search"]["keep_invalid_steps"].get<bool>(), true);
      QCOMPARE(options.toJson()["linearize"]["affirm_steps_with_q_at_least"].get<double>(), -1.0);
    }
  }
  void validate_searchTracesOutOfRangeNamesTheFlag() {
    auto options = experiment::quickMiniatureOptions();
    for (int traces : {0, experiment::kMaxSearchTraces + 1}) {
      options.exportOptions.linearize.sequencesPerTree = traces;
      const QString error = validationError(options);
      QVERIFY2(error.contains("--search-traces"), qPrintable(error));
      QVERIFY2(error.contains("got " + QString::number(traces)), qPrintable(error));
    }
    options.exportOptions.linearize.sequencesPerTree = experiment::kMaxSearchTraces;
    QCOMPARE(validationError(options), QString());
  }
  void run_refusesSearchTracesOutOfRangeBeforeWritingAnything() {
    auto options = experiment::quickMiniatureOptions();
    options.outputDir = astro::test::freshTempDir("miniature-options") / "xp";
    options.exportOptions.linearize.sequencesPerTree = 9;
    QVERIFY_THROWS_EXCEPTION(UsageError, experiment::runMiniatureExperiment(options));
    QVERIFY(!std::filesystem::exists(options.outputDir));
  }
  void sftStepBudget_equalCountsLeaveItToEpochs() {
    train::SftOptions sft;
    sft.epochs = 20;
    sft.sequencesPerStep = 8;
    QCOMPARE(experiment::sftStepBudget(50, 50, sft), 0);
    QCOMPARE(experiment::sftStepBudget(0, 0, sft), 0);
  }
  void sftStepBudget_isTheLargerArmsEpochSteps() {
    train::SftOptions sft;
    sft.epochs = 20;
    sft.sequencesPerStep = 8;
    // 3 search traces + 1 direct per tree over 50 trees: 200 ASTRO examples, 25 steps an epoch;
    // the Direct arm's 50 examples alone would give 7 steps an epoch, 140 in all.
    QCOMPARE(experiment::sftStepBudget(200, 50, sft), 25 * 20);
    QCOMPARE(experiment::sftStepBudget(50, 200, sft), 25 * 20);
    QCOMPARE(experiment::sftStepBudget(9, 8, sft), 2 * 20);
  }
};

QTEST_GUILESS_MAIN(MiniatureOptionsTest)
#include "miniature_options_test.moc"
