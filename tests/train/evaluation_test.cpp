// pass@k estimates and the evaluation loop: sample counts, greedy answers, reproducibility.
#include <QtTest>

#include "core/analysis/trace_detector.h"
#include "core/base/error.h"
#include "core/domain/step_validator.h"
#include "core/model/language_model.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/evaluation.h"
#include "core/train/evaluation_records.h"
#include "core/train/pass_at_k.h"
#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

using namespace astro;

namespace {
// Judges an output correct when it contains the gold answer text: enough to count verdicts.
class ContainsVerifier : public math::Verifier {
 public:
  std::string name() const override { return "contains"; }
  math::Verdict grade(const math::Problem& problem, std::string_view output) const override {
    math::Verdict verdict;
    verdict.correct = output.find(problem.answer) != std::string_view::npos;
    verdict.rule = verdict.correct ? "contains" : "absent";
    return verdict;
  }
};

// A random-init tiny model and its tokenizer, written to a fresh folder named `name`.
struct TinyPolicy {
  model::LanguageModel model;
  tokenizer::Tokenizer tokenizer;
};
TinyPolicy tinyPolicy(const QString& name) {
  auto dir = test::freshTempDir(name);
  test::writeTinyModel(dir);
  return {model::LanguageModel::load(dir), tokenizer::Tokenizer::fromDirectory(dir)};
}

// ContainsVerifier that always finds an answer (right or wrong).
class AnsweredVerifier : public ContainsVerifier {
 public:
  math::Verdict grade(const math::Problem& problem, std::string_view output) const override {
    math::Verdict verdict = ContainsVerifier::grade(problem, output);
    verdict.answerFound = true;
    return verdict;
  }
};

// Sees in every trace two steps, a backtrack, a restart and one reflection.
class FixedGraphDetector : public analysis::TraceDetector {
 public:
  std::string name() const override { return "fixed"; }
  analysis::StepGraph detect(std::string_view) const override {
    analysis::StepGraph graph;
    for (auto role : {analysis::StepRole::kStep, analysis::StepRole::kBacktrack,
                      analysis::StepRole::kStep, analysis::StepRole::kRestart}) {
      graph.steps.push_back({.role = role, .reflects = role == analysis::StepRole::kBacktrack});
    }
    return graph;
  }
};

// Rejects every step: every return abandons a wrong branch.
class RejectingValidator : public domain::StepValidator {
 public:
  bool accepts(const math::Problem&, std::span<const std::string_view>,
               std::string_view) const override {
    return false;
  }
};
}  // namespace

class EvaluationTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void passAtK_matchesClosedForm() {
    QCOMPARE(train::passAtK(4, 1, 1), 0.25);
    QCOMPARE(train::passAtK(32, 0, 32), 0.0);
    QVERIFY(qAbs(train::passAtK(5, 2, 2) - 0.7) < 1e-12);  // 1 - C(3,2)/C(5,2)
    QCOMPARE(train::passAtK(5, 4, 2), 1.0);                  // fewer than k wrong samples
    QVERIFY_THROWS_EXCEPTION(UsageError, train::passAtK(4, 5, 1));
    QVERIFY_THROWS_EXCEPTION(UsageError, train::passAtK(4, 1, 5));
  }
  void evaluate_gradesEverySampleAndGreedyAnswer() {
    auto [model, tokenizer] = tinyPolicy("evaluate");
    std::vector<math::Problem> problems(3);
    for (int i = 0; i < 3; ++i) {
      problems[i].question = "q" + std::to_string(i);
      problems[i].answer = "";  // every output contains "": all correct
    }
    train::EvaluationOptions options{.samplesPerProblem = 4, .maxNewTokens = 5, .seed = 3,
                                     .reportPassAtK = {1, 4}};
    std::vector<int64_t> progress;
    auto result = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(), options,
                                        [&](const train::EvaluationProgress& p) {
                                          progress.push_back(p.done);
                                          QCOMPARE(p.total, int64_t(15));
                                        });
    QCOMPARE(int(result.samples.size()), 15);  // 3 x 4 sampled + 3 greedy
    QCOMPARE(result.passAt1, 1.0);
    QCOMPARE(result.greedyAccuracy, 1.0);
    QCOMPARE(result.passAtK.size(), std::size_t(2));
    QCOMPARE(progress.back(), int64_t(15));
    int greedy = 0;
    for (const auto& sample : result.samples) greedy += sample.sampleIndex == -1;
    QCOMPARE(greedy, 3);
    // The same seed gives the same completions.
    auto again = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(), options);
    for (std::size_t i = 0; i < again.samples.size(); ++i) {
      QCOMPARE(again.samples[i].completion, result.samples[i].completion);
    }
  }
  // Every row samples from its own seed (problem index, sample index): chunking the rows into
  // batches of 1 or of all of them draws the same completions, as ranks sharing them do.
  void evaluate_sameCompletionsWhateverTheBatchSize() {
    auto [model, tokenizer] = tinyPolicy("evaluate-batch");
    std::vector<math::Problem> problems(3);
    for (int i = 0; i < 3; ++i) problems[i].question = "q" + std::to_string(i);
    train::EvaluationOptions options{.samplesPerProblem = 3, .maxNewTokens = 6, .seed = 8};
    auto together = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(), options);
    options.batchSize = 1;
    auto alone = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(), options);
    QCOMPARE(alone.samples.size(), together.samples.size());
    bool anyDifferent = false;
    for (std::size_t i = 0; i < alone.samples.size(); ++i) {
      QCOMPARE(alone.samples[i].completion, together.samples[i].completion);
      anyDifferent |= i > 0 && alone.samples[i].completion != alone.samples[0].completion;
    }
    QVERIFY(anyDifferent);  // the rows do not all share one seed
  }
  void evaluate_countsWrongAnswers() {
    auto [model, tokenizer] = tinyPolicy("evaluate-wrong");
    std::vector<math::Problem> problems(2);
    problems[0].answer = "";                                   // always found
    problems[1].answer = "an answer no random model writes";  // never found
    auto result = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(),
                                        {.samplesPerProblem = 2, .maxNewTokens = 4});
    QCOMPARE(result.passAt1, 0.5);
    QCOMPARE(result.greedyAccuracy, 0.5);
  }
  void evaluate_keepsTraceStatisticsOfEverySample() {
    auto [model, tokenizer] = tinyPolicy("evaluate-stats");
    std::vector<math::Problem> problems(2);
    train::EvaluationOptions options{.samplesPerProblem = 2, .maxNewTokens = 4};
    options.traceDetector = std::make_shared<FixedGraphDetector>();
    auto result = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(), options);
    QCOMPARE(int(result.samples.size()), 6);
    for (const auto& sample : result.samples) {
      QCOMPARE(sample.steps, 2);
      QCOMPARE(sample.backtracks, 1);
      QCOMPARE(sample.restarts, 1);
      QCOMPARE(sample.reflections, 1);
    }
    QCOMPARE(result.meanBacktracks, 1.0);
    QCOMPARE(result.meanRestarts, 1.0);
    // The default detector (the built-in phrase set) finds nothing in random text.
    auto plain = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(),
                                       {.samplesPerProblem = 2, .maxNewTokens = 4});
    QCOMPARE(plain.meanBacktracks, 0.0);
  }
  // Each sample returns twice (FixedGraphDetector); problem 0 is always right, problem 1 never.
  void evaluate_countsReturnsAfterWrongBranchAndRecovery() {
    auto [model, tokenizer] = tinyPolicy("evaluate-behaviour");
    std::vector<math::Problem> problems(2);
    problems[1].answer = "an answer no random model writes";
    train::EvaluationOptions options{.samplesPerProblem = 2, .maxNewTokens = 4};
    options.traceDetector = std::make_shared<FixedGraphDetector>();
    options.stepValidator = std::make_shared<RejectingValidator>();
    auto result = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(), options);
    for (const auto& sample : result.samples) QCOMPARE(sample.returnsAfterWrongBranch, 2);
    // Over the 4 sampled answers (the 2 greedy ones excluded).
    QCOMPARE(result.behaviour, (analysis::BacktrackBehaviour{.answers = 4,
                                                             .returns = 8,
                                                             .returnsAfterWrongBranch = 8,
                                                             .answersWithReturn = 4,
                                                             .recoveredAnswers = 2}));
    QCOMPARE(result.behaviour->recoveryRate(), 0.5);
    // Without a validator only a wrongly graded \boxed{} answer makes a branch wrong.
    options.stepValidator = nullptr;
    auto answersOnly =
        train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(), options);
    QCOMPARE(answersOnly.behaviour->returnsAfterWrongBranch, 0);
    QCOMPARE(answersOnly.behaviour->wrongBranchShare(), 0.0);
  }
  // Problem 1's two sampled answers are wrong: with no answer found, or, found, after steps the
  // validator rejects (an invalid step), or with no validator to judge the steps (a wrong answer).
  void evaluate_countsWhyAnswersAreWrong() {
    auto [model, tokenizer] = tinyPolicy("evaluate-failures");
    std::vector<math::Problem> problems(2);
    problems[1].answer = "an answer no random model writes";
    train::EvaluationOptions options{.samplesPerProblem = 2, .maxNewTokens = 4};
    options.traceDetector = std::make_shared<FixedGraphDetector>();
    options.stepValidator = std::make_shared<RejectingValidator>();
    auto unanswered = train::evaluatePolicy(model, tokenizer, problems, ContainsVerifier(), options);
    QCOMPARE(unanswered.failures, (analysis::AnswerFailures{.answers = 4, .noAnswer = 2}));
    auto invalid = train::evaluatePolicy(model, tokenizer, problems, AnsweredVerifier(), options);
    QCOMPARE(invalid.failures, (analysis::AnswerFailures{.answers = 4, .invalidStep = 2}));
    QCOMPARE(invalid.samples[2].failure, analysis::AnswerFailure::kInvalidStep);
    QCOMPARE(invalid.samples[0].failure, analysis::AnswerFailure::kNone);
    options.stepValidator = nullptr;
    auto wrong = train::evaluatePolicy(model, tokenizer, problems, AnsweredVerifier(), options);
    QCOMPARE(wrong.failures, (analysis::AnswerFailures{.answers = 4, .wrongAnswer = 2}));
    // The summary keeps the counts; one written before them reads back without.
    auto summary = train::evaluationSummaryJson(invalid);
    QCOMPARE(summary["failures"]["invalid_step"].get<int>(), 2);
    QCOMPARE(train::evaluationSummaryFromJson(summary).failures, invalid.failures);
    summary.erase("failures");
    QVERIFY(!train::evaluationSummaryFromJson(summary).failures);
    QCOMPARE(train::evaluationSampleJson(invalid.samples[2], problems[1], "c")["failure"],
             "invalid_step");
  }
};

QTEST_GUILESS_MAIN(EvaluationTest)
#include "evaluation_test.moc"
