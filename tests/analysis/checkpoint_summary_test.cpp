// Checkpoint summaries (pass@1 over k samples, means over problems), correlations across
// checkpoints, and the tables/CSV the CLI prints.
#include "core/analysis/checkpoint_summary.h"

#include <QtTest>

#include "core/analysis/report_tables.h"

using astro::analysis::AnalyzedSample;

namespace {
AnalyzedSample sample(std::string problem, std::string checkpoint, int backtracks, bool correct,
                      int tokens = 100) {
  AnalyzedSample s{std::move(problem), std::move(checkpoint), "bench", {}};
  s.stats.backtracks = backtracks;
  s.stats.correct = correct;
  s.stats.tokens = tokens;
  return s;
}
}  // namespace

class CheckpointSummaryTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void accuracy_isPassAt1AveragedOverSamplesThenProblems() {
    // Problem a: 1 of 4 correct; problem b: 2 of 2 correct -> (0.25 + 1) / 2.
    std::vector<AnalyzedSample> samples = {sample("a", "1", 0, true),  sample("a", "1", 0, false),
                                           sample("a", "1", 2, false), sample("a", "1", 2, false),
                                           sample("b", "1", 1, true),  sample("b", "1", 3, true)};
    auto summary = astro::analysis::summarize(samples);
    QCOMPARE(summary.checkpoints.size(), std::size_t(1));
    const auto& row = summary.checkpoints[0];
    QCOMPARE(row.problems, 2);
    QCOMPARE(row.samples, 6);
    QCOMPARE(row.accuracy.estimate, 0.625);
    QCOMPARE(row.meanBacktracks.estimate, (1.0 + 2.0) / 2);
  }
  void numericCheckpoints_areOrderedByValue() {
    std::vector<AnalyzedSample> samples = {sample("a", "1000", 0, true),
                                           sample("a", "200", 0, true), sample("a", "30", 0, true)};
    auto summary = astro::analysis::summarize(samples);
    QCOMPARE(summary.checkpoints[0].checkpoint, std::string("30"));
    QCOMPARE(summary.checkpoints[2].checkpoint, std::string("1000"));
  }
  void correlations_acrossCheckpoints_followTheMeans() {
    std::vector<AnalyzedSample> samples;
    // Checkpoint c has c backtracks per sample and c correct of 4 problems: r = 1.
    for (int c = 1; c <= 4; ++c) {
      for (int p = 0; p < 4; ++p) {
        samples.push_back(sample("p" + std::to_string(p), std::to_string(c), c, p < c, 50 * c));
      }
    }
    auto summary = astro::analysis::summarize(samples);
    QCOMPARE(summary.correlations.size(), std::size_t(2));
    QCOMPARE(summary.correlations[0].variable, std::string("mean_backtracks"));
    QCOMPARE(summary.correlations[0].checkpoints, 4);
    QVERIFY(std::fabs(summary.correlations[0].pearson.r - 1.0) < 1e-12);
    QVERIFY(std::fabs(summary.correlations[1].spearman.r - 1.0) < 1e-12);
  }
  void csv_quotesFieldsWithCommasQuotesAndNewlines() {
    astro::analysis::Table table{"t", {"a", "b"}, {{"x,y", "say \"hi\"\nbye"}}};
    QCOMPARE(astro::analysis::tableToCsv(table),
             std::string("a,b\r\n\"x,y\",\"say \"\"hi\"\"\nbye\"\r\n"));
  }
  void formatTable_alignsColumns() {
    astro::analysis::Table table{"t", {"name", "n"}, {{"alpha", "1"}, {"b", "22"}}};
    QCOMPARE(astro::analysis::formatTable(table),
             std::string("name   n\n---------\nalpha  1\nb      22\n"));
  }
  void summaryTables_haveOneRowPerCheckpointAndCorrelation() {
    std::vector<AnalyzedSample> samples = {sample("a", "1", 0, true), sample("a", "2", 1, false)};
    auto tables = astro::analysis::summaryTables(astro::analysis::summarize(samples));
    QCOMPARE(tables.size(), std::size_t(2));
    QCOMPARE(tables[0].name, std::string("checkpoints"));
    QCOMPARE(tables[0].rows.size(), std::size_t(2));
    QCOMPARE(tables[1].rows.size(), std::size_t(2));
    QCOMPARE(tables[0].rows[0][5], std::string("1.0000"));
  }
};

QTEST_APPLESS_MAIN(CheckpointSummaryTest)
#include "checkpoint_summary_test.moc"
