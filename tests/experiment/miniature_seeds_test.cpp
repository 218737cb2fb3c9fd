// The multi-seed report from hand-made results (miniature_seeds.h): means over seeds with
// intervals over seeds and puzzles, and paired claims that one lucky seed cannot carry.
#include "core/experiment/miniature_seeds.h"

#include <QtTest>
#include <cmath>

#include "core/base/error.h"
#include "tests/experiment/hand_made_results.h"

using namespace astro;

namespace {

// Seed 1: the hand-made results (ASTRO-RL 0.5 over Direct-RL 0.3 on the same puzzles). Seed 2:
// ASTRO-RL at 0.3 on other puzzles than Direct-RL's, so the arms tie there.
std::vector<experiment::SeedResults> twoSeeds() {
  experiment::SeedResults first{1, "out/seed-1", test::handMadeResults()};
  experiment::SeedResults second{2, "out/seed-2", test::handMadeResults()};
  auto& rl = second.results.astro.checkpoints.back().evaluation;
  rl.passAt1 = 0.3;
  rl.problemPassAt1 = test::solved(0.3, 50);
  return {first, second};
}

}  // namespace

class MiniatureSeedsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void json_meansOverSeedsWithIntervals() {
    auto json = experiment::multiSeedReportJson(twoSeeds());
    QCOMPARE(json["seeds"], nlohmann::ordered_json({1, 2}));
    const auto& astroRl = json["arms"]["astro"]["rl"];
    QCOMPARE(astroRl["per_seed"], nlohmann::ordered_json({0.5, 0.3}));
    QVERIFY(std::abs(astroRl["mean"].get<double>() - 0.4) < 1e-12);
    QVERIFY(astroRl["ci_low"].get<double>() < 0.4 && astroRl["ci_high"].get<double>() > 0.4);
    QVERIFY(std::abs(json["arms"]["direct"]["rl"]["mean"].get<double>() - 0.3) < 1e-12);
    QCOMPARE(json["arms"]["astro"]["base"]["mean"].get<double>(), 0.1);
    QCOMPARE(json["seed_reports"][1].get<std::string>(), std::string("out/seed-2/report.json"));
    QCOMPARE(nlohmann::ordered_json::parse(json.dump()), json);
  }
  // Seed 1 alone puts ASTRO-RL 0.2 above Direct-RL with an interval far from 0; with seed 2,
  // where they tie, the difference is 0.1 and the interval, which resamples seeds, reaches 0.
  void claims_oneLuckySeedDoesNotCarryTheClaim() {
    auto seeds = twoSeeds();
    auto alone = experiment::multiSeedReportJson({seeds[0], seeds[0]});
    QCOMPARE(alone["hypothesis"]["astro_rl_above_direct_rl"].get<bool>(), true);
    auto json = experiment::multiSeedReportJson(seeds);
    const auto& versus = json["comparisons"]["astro_rl_minus_direct_rl"];
    QVERIFY(std::abs(versus["difference"].get<double>() - 0.1) < 1e-12);
    QCOMPARE(versus["seeds"].get<int>(), 2);
    QCOMPARE(versus["puzzles"].get<int>(), 2 * test::kPuzzles);
    QVERIFY2(versus["ci_low"].get<double>() <= 0.0, versus.dump().c_str());
    QCOMPARE(json["hypothesis"]["astro_rl_above_direct_rl"].get<bool>(), false);
    // The other claims hold in both seeds.
    QCOMPARE(json["hypothesis"]["astro_sft_above_base"].get<bool>(), true);
    QCOMPARE(json["hypothesis"]["direct_rl_above_base"].get<bool>(), true);
  }
  void markdown_holdsTheTables() {
    std::string md = experiment::multiSeedReportMarkdown(twoSeeds());
    for (const char* expected :
         {"# The paper's tables in miniature, 2 seeds", "Seeds 1 2;", "| ASTRO | 0.100 [",
          "| 2 | ASTRO | 0.100; 0.000 | 0.200; 0.500 | 0.300; 2.000 |",
          "- ASTRO-RL > Direct-RL: no, difference +0.100, 95% CI [", "2 seeds, 200 puzzles"}) {
      QVERIFY2(md.find(expected) != std::string::npos, expected);
    }
  }
  // Counts add over seeds; a seed without them makes the pooled behaviour unavailable.
  void behaviour_pooledOverSeedsOrNotAvailable() {
    auto seeds = twoSeeds();
    seeds[0].results.astro.checkpoints.back().evaluation.behaviour =
        analysis::BacktrackBehaviour{.answers = 8,
                                     .returns = 2,
                                     .returnsAfterWrongBranch = 2,
                                     .answersWithReturn = 2,
                                     .recoveredAnswers = 0};
    seeds[1].results.astro.checkpoints.back().evaluation.behaviour =
        analysis::BacktrackBehaviour{.answers = 8,
                                     .returns = 6,
                                     .returnsAfterWrongBranch = 3,
                                     .answersWithReturn = 4,
                                     .recoveredAnswers = 3};
    seeds[1].results.direct.checkpoints.back().evaluation.behaviour =
        analysis::BacktrackBehaviour{.answers = 8};
    auto json = experiment::multiSeedReportJson(seeds);
    const auto& pooled = json["arms"]["astro"]["rl"]["behaviour"];
    QCOMPARE(pooled["returns_per_answer"].get<double>(), 0.5);     // 8 returns in 16 answers
    QCOMPARE(pooled["wrong_branch_share"].get<double>(), 0.625);   // 5 of 8
    QCOMPARE(pooled["recovery_rate"].get<double>(), 0.5);          // 3 of 6
    QVERIFY(json["arms"]["direct"]["rl"]["behaviour"].is_null());  // seed 1 kept none
    std::string md = experiment::multiSeedReportMarkdown(seeds);
    for (const char* expected : {"## Backtrack behaviour, pooled over seeds",
                                 "| ASTRO | rl | 0.500 | 0.625 (5 of 8) | 0.500 (3 of 6) |",
                                 "| Direct | rl | n/a | n/a | n/a |"}) {
      QVERIFY2(md.find(expected) != std::string::npos, expected);
    }
  }
  // Failure counts add over seeds like the behaviour; a seed without them: n/a.
  void failures_pooledOverSeedsOrNotAvailable() {
    auto seeds = twoSeeds();
    seeds[0].results.astro.checkpoints.back().evaluation.failures =
        analysis::AnswerFailures{.answers = 8, .invalidStep = 4, .wrongAnswer = 2};
    seeds[1].results.astro.checkpoints.back().evaluation.failures =
        analysis::AnswerFailures{.answers = 8, .invalidStep = 2, .noAnswer = 2};
    auto json = experiment::multiSeedReportJson(seeds);
    const auto& pooled = json["arms"]["astro"]["rl"]["failures"];
    QCOMPARE(pooled["answers"].get<int>(), 16);
    QCOMPARE(pooled["wrong"].get<int>(), 10);
    QCOMPARE(pooled["invalid_step_share"].get<double>(), 0.6);
    QVERIFY(json["arms"]["direct"]["rl"]["failures"].is_null());
    std::string md = experiment::multiSeedReportMarkdown(seeds);
    QVERIFY(md.find("| 0.600 (6 of 10) | 0.200 (2 of 10) |") != std::string::npos);
  }
  void run_needsTwoSeedsAndAFolder() {
    experiment::MiniatureOptions options;
    options.outputDir = "unused";
    QVERIFY_THROWS_EXCEPTION(UsageError, experiment::runMiniatureSeeds(options, 1));
    options.outputDir.clear();
    QVERIFY_THROWS_EXCEPTION(UsageError, experiment::runMiniatureSeeds(options, 2));
  }
};

QTEST_GUILESS_MAIN(MiniatureSeedsTest)
#include "miniature_seeds_test.moc"
