// Correlations, p-values, intervals and the bootstrap against values computed independently by
// tests/reference/statistics_reference.py (scipy 1.10.1 / numpy 1.24.2); each constant below is
// that script's output, copied with its name.
#include <QtTest>
#include <cmath>

#include "core/analysis/bootstrap.h"
#include "core/analysis/correlation.h"
#include "core/analysis/incomplete_beta.h"
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
  void splitMix64_matchesItsReferenceSequence() {
    // First outputs of splitmix64 seeded with 0 (Vigna's reference implementation).
    SplitMix64 generator(0);
    QCOMPARE(generator.next(), 0xe220a8397b1dcdafULL);
    QCOMPARE(generator.next(), 0x6e789e6aa1b965f4ULL);
  }
};

QTEST_APPLESS_MAIN(StatisticsTest)
#include "statistics_test.moc"
