// Correlations, p-values, intervals and the bootstrap against values computed independently by
// tests/reference/statistics_reference.py (scipy 1.10.1 / numpy 1.24.2); each constant below is
// that script's output, copied with its name.
#include <QtTest>
#include <cmath>

#include "core/analysis/bootstrap.h"
#include "core/analysis/correlation.h"
#include "core/analysis/incomplete_beta.h"
#include "core/analysis/paired_bootstrap.h"
#include "core/analysis/partial_correlation.h"
#include "core/base/error.h"

using namespace astro::analysis;

namespace {
const std::vector<double> kBacktracks = {0.8, 1.1, 1.6, 2.0, 2.3, 2.9};
const std::vector<double> kAccuracy = {0.52, 0.55, 0.61, 0.60, 0.66, 0.71};
const std::vector<double> kTiesX = {1, 2, 2, 3, 4, 4, 5};
const std::vector<double> kTiesY = {2.0, 1.0, 3.5, 3.5, 5.0, 4.0, 6.0};
const std::vector<double> kSampleBacktracks = {0, 1, 3, 2, 0, 4, 1, 2, 5, 0, 3, 1};
const std::vector<bool> kSampleCorrect = {false, true, true, true,  false, true,
                                          false, true, true, false, false, true};

bool near(double actual, double expected, double relative = 1e-10) {
  return std::fabs(actual - expected) <= relative * std::max(1e-300, std::fabs(expected)) ||
         std::fabs(actual - expected) < 1e-15;
}
}  // namespace

#define VERIFY_NEAR(actual, expected) \
  QVERIFY2(near(actual, expected), qPrintable(QString::number(actual, 'g', 17)))

class StatisticsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void pearson_matchesScipy() {
    Correlation c = pearson(kBacktracks, kAccuracy);
    QCOMPARE(c.n, std::size_t(6));
    VERIFY_NEAR(c.r, 0.97659985995127796);
    VERIFY_NEAR(c.pValue, 0.00081494326442140181);
  }
  void pearsonFisherInterval_matchesScipyConfidenceInterval() {
    Correlation c = pearson(kBacktracks, kAccuracy);
    VERIFY_NEAR(c.ciLow, 0.79563748462989525);
    VERIFY_NEAR(c.ciHigh, 0.99754012902064104);
  }
  void spearmanWithTies_matchesScipy() {
    Correlation c = spearman(kTiesX, kTiesY);
    VERIFY_NEAR(c.r, 0.90829510622924758);
    VERIFY_NEAR(c.pValue, 0.0046532740259863639);
    VERIFY_NEAR(c.ciLow, 0.4912547574997102);
    VERIFY_NEAR(c.ciHigh, 0.98655237924167882);
  }
  void averageRanks_shareTies() {
    QCOMPARE(averageRanks(kTiesX), (std::vector<double>{1.0, 2.5, 2.5, 4.0, 5.5, 5.5, 7.0}));
  }
  void pointBiserial_matchesScipy() {
    Correlation c = pointBiserial(kSampleBacktracks, kSampleCorrect);
    VERIFY_NEAR(c.r, 0.55543426534016127);
    VERIFY_NEAR(c.pValue, 0.060814784580433476);
  }
  void regularizedIncompleteBeta_matchesScipyBetainc() {
    VERIFY_NEAR(regularizedIncompleteBeta(0.5, 0.5, 0.3), 0.36901011956554541);
    VERIFY_NEAR(regularizedIncompleteBeta(2.0, 3.0, 0.4), 0.52479999999999993);
    VERIFY_NEAR(regularizedIncompleteBeta(10.0, 0.5, 0.9), 0.15164090963470997);
    VERIFY_NEAR(regularizedIncompleteBeta(2.0, 0.5, 0.999), 0.95258164648577515);
    VERIFY_NEAR(regularizedIncompleteBeta(50.0, 40.0, 0.55), 0.45479521086387009);
    VERIFY_NEAR(regularizedIncompleteBeta(0.1, 7.0, 0.01), 0.79612377179875926);
    QCOMPARE(regularizedIncompleteBeta(2.0, 3.0, 0.0), 0.0);
    QCOMPARE(regularizedIncompleteBeta(2.0, 3.0, 1.0), 1.0);
  }
  void studentTTwoSidedP_matchesScipy() {
    VERIFY_NEAR(studentTTwoSidedP(2.5, 4), 0.066766544811988127);
    VERIFY_NEAR(studentTTwoSidedP(0.3, 10), 0.77032060756579868);
    VERIFY_NEAR(studentTTwoSidedP(-4.2, 3), 0.024632078176939246);
    QVERIFY(near(studentTTwoSidedP(12.0, 30), 5.5801854151992606e-13, 1e-8));
  }
  void normalQuantile_matchesScipy() {
    VERIFY_NEAR(normalQuantile(0.975), 1.959963984540054);
    QVERIFY(std::fabs(normalQuantile(0.5)) < 1e-15);
    VERIFY_NEAR(normalQuantile(0.001), -3.0902323061678132);
    QVERIFY(near(normalQuantile(1e-10), -6.3613409024040557, 1e-9));
    QVERIFY(near(normalQuantile(0.9999), 3.7190164854557088, 1e-9));
  }
  void quantileOfSorted_matchesNumpyPercentile() {
    std::vector<double> data = {3.0, 1.0, 4.0, 1.5, 9.0, 2.6, 5.0};
    std::sort(data.begin(), data.end());
    VERIFY_NEAR(quantileOfSorted(data, 0.025), 1.075);
    VERIFY_NEAR(quantileOfSorted(data, 0.5), 3.0);
    VERIFY_NEAR(quantileOfSorted(data, 0.975), 8.3999999999999986);
  }
  void constantVariable_givesNaNCorrelation() {
    Correlation c = pearson({1, 2, 3, 4}, {5, 5, 5, 5});
    QVERIFY(std::isnan(c.r));
    QVERIFY(std::isnan(c.pValue));
  }
  void fewerThanFourPairs_giveNoInterval() {
    Correlation c = pearson({1, 2, 3}, {1, 3, 2});
    QCOMPARE(c.r, 0.5);
    QVERIFY(std::isnan(c.ciLow));
  }
  void lengthMismatch_throws() { QVERIFY_THROWS_EXCEPTION(astro::Error, pearson({1, 2}, {1})); }
  void bootstrap_isDeterministicForASeed() {
    std::vector<double> values = {1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0.5};
    Interval first = bootstrapMean(values, {.resamples = 500, .seed = 11});
    Interval second = bootstrapMean(values, {.resamples = 500, .seed = 11});
    Interval other = bootstrapMean(values, {.resamples = 500, .seed = 12});
    QCOMPARE(first.low, second.low);
    QCOMPARE(first.high, second.high);
    QVERIFY(first.low != other.low || first.high != other.high);
    QCOMPARE(first.estimate, 7.5 / 12);
    QVERIFY(first.low < first.estimate && first.estimate < first.high);
  }
  void bootstrap_ofConstantValues_isThePoint() {
    Interval interval = bootstrapMean({2.5, 2.5, 2.5});
    QCOMPARE(interval.low, 2.5);
    QCOMPARE(interval.high, 2.5);
  }
  void bootstrap_widthShrinksLikeOneOverRootN() {
    std::vector<double> small, large;
    for (int i = 0; i < 100; ++i) small.push_back(i % 2);
    for (int i = 0; i < 1600; ++i) large.push_back(i % 2);
    Interval a = bootstrapMean(small), b = bootstrapMean(large);
    double ratio = (a.high - a.low) / (b.high - b.low);
    QVERIFY2(ratio > 3.4 && ratio < 4.6, qPrintable(QString::number(ratio)));
  }
  void detrendedPearson_matchesNumpyResidualsAndScipy() {
    // Both rise with the step (raw r = 0.82, what the paper would report), but around that
    // trend they move against each other.
    const std::vector<double> steps = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    const std::vector<double> backtracks = {0.10, 0.35, 0.30, 0.62, 0.55, 0.90, 0.82, 1.15, 1.10};
    const std::vector<double> accuracy = {0.24, 0.22, 0.31, 0.29, 0.38, 0.35, 0.45, 0.41, 0.52};
    VERIFY_NEAR(pearson(backtracks, accuracy).r, 0.81838637414744708);
    Correlation c = detrendedPearson(backtracks, accuracy, steps);
    QCOMPARE(c.n, std::size_t(9));
    VERIFY_NEAR(c.r, -0.97920533370759755);
    QVERIFY2(near(c.pValue, 2.2130838011001015e-05, 1e-8), qPrintable(QString::number(c.pValue)));
    VERIFY_NEAR(c.ciLow, -0.99636617924440141);
    VERIFY_NEAR(c.ciHigh, -0.88564408552806062);
  }
  void detrendedPearson_undefinedCases() {
    // A constant trend explains nothing; a variable that is a line in the trend has no residual.
    QVERIFY(std::isnan(detrendedPearson({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}, {7, 7, 7, 7, 7}).r));
    QVERIFY(std::isnan(detrendedPearson({1, 3, 5, 7, 9}, {2, 1, 4, 3, 5}, {0, 1, 2, 3, 4}).r));
    Correlation four = detrendedPearson({1, 3, 2, 5}, {2, 1, 4, 3}, {0, 1, 2, 3});
    QVERIFY(!std::isnan(four.r) && !std::isnan(four.pValue));
    QVERIFY(std::isnan(four.ciLow));  // the interval needs n >= 5
    QVERIFY_THROWS_EXCEPTION(astro::Error, detrendedPearson({1, 2, 3}, {1, 2, 3}, {1, 2}));
  }
  void pairedBootstrap_identicalArms_giveZero_andAShiftGivesTheShift() {
    PairedScores same{.a = {0.1, 0.5, 0.9, 0.3}, .b = {0.1, 0.5, 0.9, 0.3}};
    PairedDifference zero = pairedBootstrapDifference({same, same, same});
    QCOMPARE(zero.difference.low, 0.0);
    QCOMPARE(zero.difference.high, 0.0);
    QCOMPARE(zero.shareAtOrBelowZero, 1.0);
    PairedScores shifted{.a = {0.35, 0.75, 1.15, 0.55}, .b = {0.1, 0.5, 0.9, 0.3}};
    PairedDifference shift = pairedBootstrapDifference({shifted, shifted});
    VERIFY_NEAR(shift.difference.estimate, 0.25);
    VERIFY_NEAR(shift.difference.low, 0.25);
    VERIFY_NEAR(shift.difference.high, 0.25);
    QCOMPARE(shift.shareAtOrBelowZero, 0.0);
    QCOMPARE(shift.seeds, 2);
    QCOMPARE(shift.puzzles, 8);
  }
  void pairedBootstrap_pairingRemovesPuzzleDifficulty() {
    // Puzzles range from easy to hard; arm a is 0.05 better on every one. Unpaired, the spread of
    // difficulty would swamp 0.05; paired, the interval sits above zero.
    PairedScores seed;
    for (int i = 0; i < 200; ++i) {
      double difficulty = (i % 20) / 20.0;
      seed.b.push_back(difficulty);
      seed.a.push_back(difficulty + ((i % 4 == 0) ? 0.0 : 0.0667));
    }
    PairedDifference paired = pairedBootstrapDifference({seed}, {.resamples = 1000, .seed = 5});
    QVERIFY2(paired.difference.low > 0.03, qPrintable(QString::number(paired.difference.low)));
    Interval unpairedA = bootstrapMean(seed.a, {.resamples = 1000, .seed = 5});
    Interval unpairedB = bootstrapMean(seed.b, {.resamples = 1000, .seed = 5});
    QVERIFY(unpairedA.low < unpairedB.high);  // the arms' own intervals overlap
  }
  void pairedBootstrap_seedSpreadWidensTheInterval() {
    // Same puzzles, but one seed favours a and another b: the seed level must show that.
    PairedScores up, down, flat;
    for (int i = 0; i < 100; ++i) {
      up.a.push_back(0.6), up.b.push_back(0.4);
      down.a.push_back(0.4), down.b.push_back(0.6);
      flat.a.push_back(0.5), flat.b.push_back(0.5);
    }
    PairedDifference mixed = pairedBootstrapDifference({up, down, flat});
    QVERIFY(mixed.difference.low < 0 && mixed.difference.high > 0);
    PairedDifference agreeing = pairedBootstrapDifference({up, up, up});
    QVERIFY(agreeing.difference.low > 0.19);
  }
  void pairedBootstrap_rejectsUnpairedInput() {
    QVERIFY_THROWS_EXCEPTION(astro::Error, pairedBootstrapDifference({}));
    QVERIFY_THROWS_EXCEPTION(astro::Error,
                             pairedBootstrapDifference({PairedScores{.a = {1, 0}, .b = {1}}}));
    QVERIFY_THROWS_EXCEPTION(astro::Error, pairedBootstrapDifference({PairedScores{}}));
  }
  void seedPuzzleBootstrapMean_isTheMeanOfSeedMeans_withEachSeedWeighingTheSame() {
    // Seed 1: 4 puzzles, mean 0.75; seed 2: 2 puzzles, mean 0. Seeds weigh the same: 0.375.
    astro::analysis::Interval mean = seedPuzzleBootstrapMean({{1, 1, 1, 0}, {0, 0}});
    QCOMPARE(mean.estimate, 0.375);
    QVERIFY(mean.low >= 0.0 && mean.low < 0.375 && mean.high > 0.375 && mean.high <= 1.0);
    astro::analysis::Interval constant = seedPuzzleBootstrapMean({{0.5, 0.5}, {0.5}});
    QCOMPARE(constant.low, 0.5);
    QCOMPARE(constant.high, 0.5);
    QVERIFY_THROWS_EXCEPTION(astro::Error, seedPuzzleBootstrapMean({{1.0}, {}}));
  }
  void splitMix64_matchesItsReferenceSequence() {
    // First outputs of splitmix64 seeded with 0 (Vigna's reference implementation).
    SplitMix64 generator(0);
    QCOMPARE(generator.next(), 0xe220a8397b1dcdafULL);
    QCOMPARE(generator.next(), 0x6e789e6aa1b965f4ULL);
  }
};

QTEST_APPLESS_MAIN(StatisticsTest)
#include "statistics_test.moc"
