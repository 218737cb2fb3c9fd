// Samples and rollouts in the run store: rows read back field for field, keyset pages cover a
// run exactly once, filters and counts agree, a replaced set leaves one copy (what makes a resumed
// stage idempotent), rollouts come back by group, and samples go with their run.
#include <QtTest>
#include <algorithm>

#include "core/base/error.h"
#include "core/store/workspace.h"
#include "tests/store/store_test_support.h"
#include "tests/support/test_support.h"

using namespace astro::store;
using astro::test::astroErrorOf;

namespace {

SampleRow row(const std::string& problemId, int index, std::optional<bool> correct) {
  const std::string answer = correct.value_or(false) ? "5" : "6";
  return SampleRow{.problemId = problemId,
                   .sampleIndex = index,
                   .prompt = "What is 2 + 3?",
                   .completion = "2 + 3 = 5. \\boxed{" + answer + "}",
                   .answer = answer,
                   .correct = correct,
                   .steps = 2,
                   .backtracks = index,
                   .tokens = 12};
}

SampleSet evalSet(std::int64_t runId, const std::string& checkpoint) {
  return SampleSet{
      .runId = runId, .kind = SampleKind::kEval, .checkpoint = checkpoint, .benchmark = "world"};
}

SampleSet rolloutSet(std::int64_t runId, std::int64_t stageId, std::int64_t step) {
  return SampleSet{.runId = runId,
                   .stageId = stageId,
                   .kind = SampleKind::kRollout,
                   .step = step,
                   .benchmark = "train"};
}

std::vector<std::string> problemIds(const std::vector<StoredSample>& samples) {
  std::vector<std::string> ids;
  for (const auto& sample : samples) ids.push_back(sample.row.problemId);
  return ids;
}

}  // namespace

class SampleRepositoryTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void add_thenList_returnsEveryFieldExactly() {
    auto workspace = Workspace::open(astro::test::freshTempDir("samples-roundtrip"));
    auto run = workspace.runs().create({.name = "rl"});
    auto stage = workspace.stages().add(run.id, "rl");
    const SampleSet set = rolloutSet(run.id, stage.id, 3);
    std::vector<SampleRow> rows = {row("p-1", 0, true), row("p-1", 1, false), row("p-2", 0, {})};
    rows[0].group = 0;
    rows[0].reward = 1.0;
    rows[0].advantage = 0.7071067811865476;
    rows[1].reward = -1.0;
    rows[1].advantage = -0.1 - 0.2;
    rows[2].group = 1;
    rows[2].prompt = "ünïcode ∑\n\t\"quoted\"";
    rows[2].restarts = 4;
    rows[2].reflections = 5;
    workspace.samples().add(set, rows);
    auto stored = workspace.samples().list(run.id);
    QCOMPARE(stored.size(), std::size_t{3});
    for (std::size_t i = 0; i < rows.size(); ++i) {
      QVERIFY(stored[i].set == set);
      QVERIFY2(stored[i].row == rows[i], qPrintable(QString::number(i)));
      if (i > 0) QVERIFY(stored[i].id > stored[i - 1].id);
    }
  }

  void list_keysetPages_coverTheRunOnceInOrder() {
    auto workspace = Workspace::open(astro::test::freshTempDir("samples-pages"));
    auto run = workspace.runs().create({.name = "eval"});
    auto other = workspace.runs().create({.name = "other"});
    std::vector<SampleRow> rows;
    for (int i = 0; i < 10; ++i) rows.push_back(row("p-" + std::to_string(i), 0, true));
    workspace.samples().add(evalSet(run.id, "base"), rows);
    workspace.samples().add(evalSet(other.id, "base"), rows);  // interleaved ids of another run
    workspace.samples().add(evalSet(run.id, "sft"), rows);
    std::vector<StoredSample> all;
    std::int64_t afterId = 0;
    for (int pages = 0; pages < 10; ++pages) {
      auto page = workspace.samples().list(run.id, {}, {.afterId = afterId, .limit = 3});
      if (page.empty()) break;
      QVERIFY(page.size() <= 3);
      afterId = page.back().id;
      all.insert(all.end(), page.begin(), page.end());
    }
    QCOMPARE(all.size(), std::size_t{20});
    for (std::size_t i = 0; i < all.size(); ++i) {
      QCOMPARE(all[i].set.runId, run.id);
      QCOMPARE(all[i].set.checkpoint, std::string(i < 10 ? "base" : "sft"));
      QCOMPARE(all[i].row.problemId, "p-" + std::to_string(i % 10));
    }
    QCOMPARE(workspace.samples().count(run.id), std::int64_t{20});
  }

  void filters_narrowListAndCountAlike() {
    auto workspace = Workspace::open(astro::test::freshTempDir("samples-filters"));
    auto run = workspace.runs().create({.name = "mixed"});
    auto stage = workspace.stages().add(run.id, "rl");
    workspace.samples().add(evalSet(run.id, "base"),
                            std::vector{row("a", 0, true), row("b", 0, false), row("c", 0, {})});
    auto odd = row("100%_x", 0, true);
    odd.completion = "literally 100% sure";
    workspace.samples().add(evalSet(run.id, "sft"), std::vector{row("a", 0, false), odd});
    workspace.samples().add(rolloutSet(run.id, stage.id, 1), std::vector{row("a", 0, true)});
    workspace.samples().add(rolloutSet(run.id, stage.id, 2), std::vector{row("b", 0, false)});
    auto check = [&](const SampleFilter& filter, std::vector<std::string> expected) {
      auto listed = problemIds(workspace.samples().list(run.id, filter));
      QCOMPARE(listed, expected);
      QCOMPARE(workspace.samples().count(run.id, filter), std::int64_t(expected.size()));
    };
    check({.kind = SampleKind::kEval}, {"a", "b", "c", "a", "100%_x"});
    check({.kind = SampleKind::kRollout}, {"a", "b"});
    check({.checkpoint = "sft"}, {"a", "100%_x"});
    check({.step = 2}, {"b"});
    check({.benchmark = "train"}, {"a", "b"});
    check({.correct = true}, {"a", "100%_x", "a"});
    check({.kind = SampleKind::kEval, .correct = false}, {"b", "a"});
    check({.ungradedOnly = true}, {"c"});
    check({.text = "SURE"}, {"100%_x"});   // completion, case-insensitive
    check({.text = "100%_"}, {"100%_x"});  // % and _ are literal
    check({.text = "0%"}, {"100%_x"});
    check({.checkpoint = "base", .text = "boxed{5}"}, {"a"});
    check({.text = "nowhere"}, {});
  }

  void replace_sameSetTwice_keepsOneCopyAndOtherSets() {
    auto workspace = Workspace::open(astro::test::freshTempDir("samples-replace"));
    auto run = workspace.runs().create({.name = "rl"});
    auto stage = workspace.stages().add(run.id, "rl");
    auto samples = workspace.samples();
    samples.add(rolloutSet(run.id, stage.id, 1), std::vector{row("a", 0, true), row("a", 1, true)});
    const std::vector<SampleRow> step2 = {row("b", 0, false), row("b", 1, true)};
    samples.replace(rolloutSet(run.id, stage.id, 2), step2);
    samples.replace(rolloutSet(run.id, stage.id, 2), step2);  // a resumed stage writes it again
    QCOMPARE(samples.count(run.id), std::int64_t{4});
    QCOMPARE(samples.count(run.id, {.step = 2}), std::int64_t{2});
    QCOMPARE(samples.count(run.id, {.step = 1}), std::int64_t{2});
    // The same step of an evaluation (another kind, no stage) is another set.
    samples.replace(SampleSet{.runId = run.id, .step = 2}, std::vector{row("c", 0, true)});
    QCOMPARE(samples.remove(rolloutSet(run.id, stage.id, 2)), std::int64_t{2});
    QCOMPARE(samples.count(run.id), std::int64_t{3});
  }

  void replace_failingRow_keepsTheOldSet() {
    auto workspace = Workspace::open(astro::test::freshTempDir("samples-atomic"));
    auto run = workspace.runs().create({.name = "eval"});
    workspace.samples().add(evalSet(run.id, "base"), std::vector{row("a", 0, true)});
    QString message = astroErrorOf([&] {
      workspace.transaction([&] {
        workspace.samples().replace(evalSet(run.id, "base"), std::vector{row("b", 0, true)});
        throw astro::Error("interrupted");
      });
    });
    QCOMPARE(message, QString("interrupted"));
    QCOMPARE(problemIds(workspace.samples().list(run.id)), std::vector<std::string>{"a"});
  }

  void setsAndRollouts_describeTheRun() {
    auto workspace = Workspace::open(astro::test::freshTempDir("samples-sets"));
    auto run = workspace.runs().create({.name = "rl"});
    auto stage = workspace.stages().add(run.id, "rl");
    workspace.samples().add(evalSet(run.id, "base"),
                            std::vector{row("a", 0, true), row("b", 0, {})});
    auto step = std::vector{row("q", 1, false), row("p", 0, true), row("q", 0, true)};
    step[0].group = 1;
    step[2].group = 1;
    workspace.samples().add(rolloutSet(run.id, stage.id, 5), step);
    workspace.samples().add(rolloutSet(run.id, stage.id, 4), std::vector{row("z", 0, true)});
    auto sets = workspace.samples().sets(run.id);
    QCOMPARE(sets.size(), std::size_t{3});
    QVERIFY(sets[0].set == evalSet(run.id, "base"));
    QCOMPARE(sets[0].samples, std::int64_t{2});
    QCOMPARE(sets[0].correct, std::int64_t{1});
    QVERIFY(sets[1].set == rolloutSet(run.id, stage.id, 5));
    QCOMPARE(sets[1].samples, std::int64_t{3});
    QCOMPARE(workspace.samples().rolloutSteps(run.id), (std::vector<std::int64_t>{4, 5}));
    auto rollouts = workspace.samples().rollouts(run.id, 5);
    QCOMPARE(problemIds(rollouts), (std::vector<std::string>{"p", "q", "q"}));
    QCOMPARE(rollouts[1].row.sampleIndex, 0);
    QCOMPARE(rollouts[2].row.sampleIndex, 1);
  }

  void list_orderedByAColumn_pagesByKeysetInSqlOrder() {
    auto workspace = Workspace::open(astro::test::freshTempDir("samples-order"));
    auto run = workspace.runs().create({.name = "eval"});
    std::vector<SampleRow> rows;
    for (int i = 0; i < 40; ++i) {
      SampleRow r = row("p" + std::to_string(i), i % 7, i % 2 == 0);
      r.tokens = (i * 37) % 11;  // many ties, broken by id
      if (i % 5 != 0) r.reward = (i % 4) - 1.5;
      rows.push_back(r);
    }
    workspace.samples().add(evalSet(run.id, "base"), rows);
    auto samples = workspace.samples();
    for (SampleOrder order : {SampleOrder::kTokens, SampleOrder::kReward, SampleOrder::kBacktracks,
                              SampleOrder::kId}) {
      for (bool descending : {false, true}) {
        const SampleFilter filter{.correct = true};
        auto expected = samples.list(run.id, filter, {.limit = -1});
        std::stable_sort(expected.begin(), expected.end(), [&](const auto& a, const auto& b) {
          const double ka = sampleOrderKey(a, order), kb = sampleOrderKey(b, order);
          if (ka != kb) return descending ? ka > kb : ka < kb;
          return descending ? a.id > b.id : a.id < b.id;
        });
        std::vector<StoredSample> paged;
        SamplePage page{.limit = 6, .order = order, .descending = descending};
        for (;;) {
          auto next = samples.list(run.id, filter, page);
          if (next.empty()) break;
          paged.insert(paged.end(), next.begin(), next.end());
          page.afterId = next.back().id;
          page.afterKey = sampleOrderKey(next.back(), order);
        }
        QCOMPARE(paged.size(), std::size_t{20});
        QVERIFY2(paged == expected, qPrintable(QString("order %1 descending %2")
                                                   .arg(static_cast<int>(order))
                                                   .arg(descending)));
      }
    }
  }

  void samplesOfAMissingRun_areRefused_andGoWithTheirRun() {
    auto workspace = Workspace::open(astro::test::freshTempDir("samples-run"));
    QString message = astroErrorOf(
        [&] { workspace.samples().add(evalSet(42, "base"), std::vector{row("a", 0, true)}); });
    QVERIFY2(message.startsWith("no run 42"), qPrintable(message));
    auto run = workspace.runs().create({.name = "eval"});
    workspace.samples().add(evalSet(run.id, "base"), std::vector{row("a", 0, true)});
    workspace.runs().remove(run.id);
    QCOMPARE(workspace.samples().count(run.id), std::int64_t{0});
  }
};

QTEST_GUILESS_MAIN(SampleRepositoryTest)
#include "sample_repository_test.moc"
