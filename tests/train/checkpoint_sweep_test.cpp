// The checkpoint sweep: which models of a trainer folder it evaluates and in what order, stored
// results reused on a rerun (and redone when the inputs change), correlations across points,
// and evaluation records (samples with trace statistics, summaries) read back.
#include "core/train/checkpoint_sweep.h"

#include <QtTest>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/analysis/partial_correlation.h"
#include "core/analysis/trace_detector.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/train/evaluation_records.h"
#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

using namespace astro;
namespace fs = std::filesystem;

namespace {

// A folder that passes for a model (config.json and weights), with trainer_state.json when
// `step` >= 0.
void fakeModel(const fs::path& folder, int step = -1) {
  fs::create_directories(folder);
  std::ofstream(folder / "config.json") << "{}";
  std::ofstream(folder / "model.safetensors") << "weights";
  if (step >= 0) std::ofstream(folder / "trainer_state.json") << "{\"step\": " << step << "}";
}

std::vector<std::string> labels(const std::vector<train::SweepCheckpoint>& checkpoints) {
  std::vector<std::string> out;
  for (const auto& c : checkpoints) out.push_back(c.label + "@" + std::to_string(c.step));
  return out;
}

class ContainsVerifier : public math::Verifier {
 public:
  std::string name() const override { return "contains"; }
  math::Verdict grade(const math::Problem& problem, std::string_view output) const override {
    math::Verdict verdict;
    verdict.correct = output.find(problem.answer) != std::string_view::npos;
    return verdict;
  }
};

train::SweepPoint point(double accuracy, double backtracks, double tokens) {
  train::SweepPoint p;
  p.evaluation.passAt1 = accuracy;
  p.evaluation.meanBacktracks = backtracks;
  p.evaluation.meanCompletionTokens = tokens;
  return p;
}

}  // namespace

class CheckpointSweepTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void list_ordersCheckpointsByStepNumerically() {
    auto dir = test::freshTempDir("sweep-order");
    for (int step : {10, 2, 1}) fakeModel(dir / ("checkpoint-" + std::to_string(step)), step);
    fakeModel(dir / "final", 10);                  // the same step as checkpoint-10: not repeated
    fs::create_directories(dir / "checkpoint-5");  // no model inside: not a checkpoint
    fs::create_directories(dir / "rollouts");
    QCOMPARE(labels(train::listSweepCheckpoints(dir)),
             (std::vector<std::string>{"checkpoint-1@1", "checkpoint-2@2", "checkpoint-10@10"}));
  }
  void list_addsFinalAndStartModel() {
    auto dir = test::freshTempDir("sweep-final");
    fakeModel(dir / "run" / "checkpoint-4", 4);
    fakeModel(dir / "run" / "final", 6);  // its checkpoint was pruned
    fakeModel(dir / "sft");
    QCOMPARE(labels(train::listSweepCheckpoints(dir / "run", dir / "sft")),
             (std::vector<std::string>{"start@0", "checkpoint-4@4", "final@6"}));
  }
  void list_takesAModelFolderAsOnePoint() {
    auto dir = test::freshTempDir("sweep-model");
    fakeModel(dir);
    QCOMPARE(labels(train::listSweepCheckpoints(dir)), (std::vector<std::string>{"model@0"}));
  }
  void list_throwsWithoutModels() {
    auto dir = test::freshTempDir("sweep-empty");
    QVERIFY_THROWS_EXCEPTION(Error, train::listSweepCheckpoints(dir));
    QVERIFY_THROWS_EXCEPTION(Error, train::listSweepCheckpoints(dir / "missing"));
  }
  void sweep_reusesStoredResultsUntilInputsChange() {
    auto dir = test::freshTempDir("sweep-reuse");
    test::writeTinyModel(dir / "run" / "checkpoint-1", 7);
    test::writeTinyModel(dir / "run" / "checkpoint-2", 8);
    std::vector<math::Problem> problems(2);
    problems[0] = {.id = "a", .question = "q0", .answer = ""};
    problems[1] = {.id = "b", .question = "q1", .answer = "never written"};
    train::SweepOptions options{
        .evaluation = {.samplesPerProblem = 2, .maxNewTokens = 4, .seed = 1},
        .resultsDir = dir / "results"};
    auto checkpoints = train::listSweepCheckpoints(dir / "run");
    auto first = train::sweepCheckpoints(checkpoints, problems, ContainsVerifier(), options);
    QCOMPARE(int(first.size()), 2);
    QCOMPARE(first[0].evaluation.passAt1, 0.5);  // problem a always, b never
    QCOMPARE(first[0].evaluation.problemPassAt1, std::vector<double>({1.0, 0.0}));
    QVERIFY(!first[0].reused && !first[1].reused);
    QVERIFY(fs::exists(dir / "results" / "checkpoint-2.jsonl"));

    auto again = train::sweepCheckpoints(checkpoints, problems, ContainsVerifier(), options);
    QVERIFY(again[0].reused && again[1].reused);
    QCOMPARE(again[1].evaluation.passAt1, first[1].evaluation.passAt1);
    QCOMPARE(again[1].evaluation.meanCompletionTokens, first[1].evaluation.meanCompletionTokens);
    QCOMPARE(again[0].evaluation.problemPassAt1, std::vector<double>({1.0, 0.0}));

    // A summary written before per-problem rates were kept is evaluated again.
    const fs::path summary = dir / "results" / "checkpoint-1.json";
    auto stored = nlohmann::json::parse(readFile(summary));
    stored["summary"].erase("per_problem_pass@1");
    writeFileAtomically(summary, stored.dump());
    auto older = train::sweepCheckpoints(checkpoints, problems, ContainsVerifier(), options);
    QVERIFY(!older[0].reused && older[1].reused);
    QCOMPARE(older[0].evaluation.problemPassAt1, std::vector<double>({1.0, 0.0}));

    // So is one written before the backtrack behaviour was kept.
    stored = nlohmann::json::parse(readFile(summary));
    stored["summary"].erase("behaviour");
    writeFileAtomically(summary, stored.dump());
    auto withoutBehaviour =
        train::sweepCheckpoints(checkpoints, problems, ContainsVerifier(), options);
    QVERIFY(!withoutBehaviour[0].reused && withoutBehaviour[1].reused);
    QCOMPARE(withoutBehaviour[0].evaluation.behaviour->answers, 4);  // 2 problems x 2 samples

    // And one written before the failure kinds were kept.
    stored = nlohmann::json::parse(readFile(summary));
    stored["summary"].erase("failures");
    writeFileAtomically(summary, stored.dump());
    auto withoutFailures =
        train::sweepCheckpoints(checkpoints, problems, ContainsVerifier(), options);
    QVERIFY(!withoutFailures[0].reused && withoutFailures[1].reused);
    QCOMPARE(withoutFailures[0].evaluation.failures->answers, 4);

    options.evaluation.samplesPerProblem = 3;
    auto changed = train::sweepCheckpoints(checkpoints, problems, ContainsVerifier(), options);
    QVERIFY(!changed[0].reused && !changed[1].reused);
  }
  void correlate_alsoRemovesTheStepTrend() {
    // Accuracy and backtracks both climb with the step, wiggling in opposite directions.
    const double steps[] = {0, 10, 20, 30, 40, 50};
    const double accuracy[] = {0.10, 0.18, 0.20, 0.30, 0.31, 0.41};
    const double backtracks[] = {0.5, 0.4, 1.1, 0.9, 1.6, 1.4};
    std::vector<train::SweepPoint> points;
    for (int i = 0; i < 6; ++i) {
      points.push_back(point(accuracy[i], backtracks[i], 100 + 5 * i));
      points.back().checkpoint.step = int(steps[i]);
    }
    auto c = train::correlateSweep(points);
    QVERIFY(c.backtracks.r > 0.7);
    auto expected = analysis::detrendedPearson({0.5, 0.4, 1.1, 0.9, 1.6, 1.4},
                                               {0.10, 0.18, 0.20, 0.30, 0.31, 0.41},
                                               {0, 10, 20, 30, 40, 50});
    QVERIFY(expected.r < -0.5);
    QCOMPARE(c.backtracksDetrended.r, expected.r);
    QCOMPARE(c.backtracksDetrended.n, std::size_t(6));
    QVERIFY(std::isnan(c.lengthDetrended.r));  // length is a straight line in the step
  }
  void correlate_isPearsonOfMeansAgainstAccuracy() {
    std::vector<train::SweepPoint> points = {point(0.1, 0.5, 100), point(0.2, 1.0, 120),
                                             point(0.3, 1.5, 110), point(0.4, 2.0, 150)};
    auto c = train::correlateSweep(points);
    QCOMPARE(int(c.backtracks.n), 4);
    QVERIFY(std::abs(c.backtracks.r - 1.0) < 1e-12);  // backtracks = 5 x accuracy
    double mx = 120, my = 0.25, sxy = 0, sxx = 0, syy = 0;
    double xs[] = {100, 120, 110, 150}, ys[] = {0.1, 0.2, 0.3, 0.4};
    for (int i = 0; i < 4; ++i) {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) * (xs[i] - mx);
      syy += (ys[i] - my) * (ys[i] - my);
    }
    QVERIFY(std::abs(c.length.r - sxy / std::sqrt(sxx * syy)) < 1e-12);
    // Restarts count as backtracks when asked: here they make the sum constant.
    auto withRestarts = points;
    for (int i = 0; i < 4; ++i)
      withRestarts[std::size_t(i)].evaluation.meanRestarts = 2.0 - 0.5 * i;
    QVERIFY(std::abs(train::correlateSweep(withRestarts).backtracks.r - 1.0) < 1e-12);
    QVERIFY(std::isnan(train::correlateSweep(withRestarts, true).backtracks.r));
    // A constant variable (a Direct arm never backtracks) has no coefficient.
    auto flat = train::correlateSweep({point(0.1, 0, 1), point(0.2, 0, 2), point(0.3, 0, 4)});
    QVERIFY(std::isnan(flat.backtracks.r));
  }
  void records_summaryReadsBack() {
    train::EvaluationResult result;
    result.passAt1 = 0.25;
    result.greedyAccuracy = 0.5;
    result.passAtK = {{1, 0.25}, {4, 0.75}};
    result.meanCompletionTokens = 42.5;
    result.meanBacktracks = 1.25;
    result.meanRestarts = 0.5;
    result.problemPassAt1 = {0.0, 0.25, 1.0};
    auto back = train::evaluationSummaryFromJson(
        nlohmann::json::parse(train::evaluationSummaryJson(result).dump()));
    QCOMPARE(back.passAt1, 0.25);
    QCOMPARE(back.greedyAccuracy, 0.5);
    QCOMPARE(back.passAtK, result.passAtK);
    QCOMPARE(back.meanCompletionTokens, 42.5);
    QCOMPARE(back.meanBacktracks, 1.25);
    QCOMPARE(back.meanRestarts, 0.5);
    QCOMPARE(back.problemPassAt1, result.problemPassAt1);
    QVERIFY(!back.behaviour.has_value());  // none kept: none written, none read
    QVERIFY_THROWS_EXCEPTION(Error, train::evaluationSummaryFromJson(nlohmann::json::object()));
  }
  void records_summaryReadsBackBehaviour() {
    train::EvaluationResult result;
    result.behaviour = analysis::BacktrackBehaviour{.answers = 8,
                                                    .returns = 5,
                                                    .returnsAfterWrongBranch = 3,
                                                    .answersWithReturn = 4,
                                                    .recoveredAnswers = 1};
    auto json = train::evaluationSummaryJson(result);
    QCOMPARE(json["behaviour"]["returns_after_wrong_branch"].get<int>(), 3);
    auto back = train::evaluationSummaryFromJson(nlohmann::json::parse(json.dump()));
    QCOMPARE(back.behaviour, result.behaviour);
    // A summary from before the behaviour was kept still loads, without it.
    json.erase("behaviour");
    QVERIFY(!train::evaluationSummaryFromJson(nlohmann::json::parse(json.dump())).behaviour);
  }
  void records_sampleLineHoldsTraceStatistics() {
    train::EvaluationResult result;
    train::EvaluationSample sample;
    sample.problemIndex = 0;
    sample.completion = "bad \xff byte";
    sample.tokens = 9;
    sample.steps = 3;
    sample.backtracks = 2;
    sample.restarts = 1;
    sample.reflections = 4;
    sample.returnsAfterWrongBranch = 2;
    result.samples.push_back(sample);
    math::Problem problem{.id = "p7", .question = "q", .answer = "24"};
    auto line = nlohmann::json::parse(train::evaluationSamplesJsonl(result, {problem}, "step-3"));
    QCOMPARE(line["problem_id"].get<std::string>(), std::string("p7"));
    QCOMPARE(line["checkpoint"].get<std::string>(), std::string("step-3"));
    QCOMPARE(line["tokens"].get<int>(), 9);
    QCOMPARE(line["steps"].get<int>(), 3);
    QCOMPARE(line["backtracks"].get<int>(), 2);
    QCOMPARE(line["restarts"].get<int>(), 1);
    QCOMPARE(line["reflections"].get<int>(), 4);
    QCOMPARE(line["returns_after_wrong_branch"].get<int>(), 2);
    QVERIFY_THROWS_EXCEPTION(Error, train::evaluationSamplesJsonl(result, {}, ""));
  }
};

QTEST_GUILESS_MAIN(CheckpointSweepTest)
#include "checkpoint_sweep_test.moc"
