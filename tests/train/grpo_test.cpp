// GRPO: advantages and the clipped objective against hand-computed values, zero gradient for a
// constant-reward group, zero KL to an identical reference, a tiny run that raises reward, and
// a run stopped after its first step that resumes onto the uninterrupted run's steps.
#include <QtTest>

#include "core/base/error.h"
#include "core/model/detail/llama_module.h"
#include "core/train/detail/grpo_loss.h"
#include "core/train/detail/sequence_logprobs.h"
#include "core/train/grpo_advantages.h"
#include "core/train/grpo_trainer.h"
#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

using namespace astro;
using train::detail::GrpoLossInputs;

namespace {
// A completion earns +1 when it contains a decimal digit: common enough in a random tiny model's
// output for groups to disagree, rare enough for RL to have room to raise it.
class ContainsDigitVerifier : public math::Verifier {
 public:
  std::string name() const override { return "digit"; }
  math::Verdict grade(const math::Problem&, std::string_view output) const override {
    math::Verdict verdict;
    verdict.correct = output.find_first_of("0123456789") != std::string_view::npos;
    return verdict;
  }
};

std::vector<math::Problem> prompts(int count) {
  std::vector<math::Problem> all(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    all[std::size_t(i)].id = "p" + std::to_string(i);
    all[std::size_t(i)].question = "say " + std::string(1, char('a' + i % 26));
  }
  return all;
}
}  // namespace

class GrpoTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void advantages_matchHandComputedValues() {
    auto a = train::groupAdvantages({1, -1, -1, -1}, 4, {.epsilon = 0});
    double std = std::sqrt(0.75);  // population std of {1,-1,-1,-1} around mean -0.5
    QVERIFY(qAbs(a[0] - 1.5 / std) < 1e-12);
    QVERIFY(qAbs(a[1] + 0.5 / std) < 1e-12);
    auto plain = train::groupAdvantages({1, -1, 1, 1}, 2, {.divideByStd = false});
    QCOMPARE(plain, (std::vector<double>{1, -1, 0, 0}));
    QCOMPARE(train::zeroVarianceGroupFraction({1, -1, 1, 1}, 2), 0.5);
    QVERIFY_THROWS_EXCEPTION(UsageError, train::groupAdvantages({1, 2, 3}, 2));
  }
  void loss_matchesHandComputedClippedObjective() {
    // Two sequences, two tokens each; the second sequence's last token is padding.
    auto old = torch::zeros({2, 2});
    auto logprobs = torch::tensor({{std::log(1.5), 0.0}, {std::log(0.5), 0.0}}, torch::kFloat32);
    auto advantages = torch::tensor({2.0f, -1.0f});
    auto mask = torch::tensor({{1.0f, 1.0f}, {1.0f, 0.0f}});
    auto out = train::detail::grpoLoss(
        GrpoLossInputs{.logprobs = logprobs, .oldLogprobs = old, .advantages = advantages, .mask = mask},
        {.clipLow = 0.2, .clipHigh = 0.2});
    // token 1: ratio 1.5, A=2 -> min(3.0, 1.2*2) = 2.4; token 2: ratio 1, A=2 -> 2;
    // token 3: ratio 0.5, A=-1 -> min(-0.5, 0.8*-1) = -0.8. Token mean of -objective:
    double expected = -(2.4 + 2.0 - 0.8) / 3.0;
    QVERIFY(qAbs(out.loss.item<double>() - expected) < 1e-6);
    QVERIFY(qAbs(out.clipFraction - 2.0 / 3.0) < 1e-6);
    auto sequenceMean = train::detail::grpoLoss(
        GrpoLossInputs{.logprobs = logprobs, .oldLogprobs = old, .advantages = advantages, .mask = mask},
        {.aggregation = train::LossAggregation::SequenceMean});
    QVERIFY(qAbs(sequenceMean.loss.item<double>() - (-((2.4 + 2.0) / 2 + -0.8) / 2)) < 1e-6);
  }
  void constantRewardGroup_givesZeroGradient() {
    auto dir = test::freshTempDir("grpo-zero");
    test::writeTinyModel(dir);
    auto model = model::detail::loadLlamaModel(dir, torch::kCPU, torch::kFloat32);
    auto batch = train::detail::makeCompletionBatch({{1, 2, 3}, {1, 2, 3}}, {{4, 5}, {6}}, torch::kCPU);
    auto current = train::detail::completionLogprobs(model, batch, false);
    auto advantages = train::groupAdvantages({1, 1}, 2);  // all equal -> zeros
    auto out = train::detail::grpoLoss(
        GrpoLossInputs{.logprobs = current.logprobs, .oldLogprobs = current.logprobs.detach(),
                       .advantages = torch::tensor(std::vector<float>(advantages.begin(), advantages.end())),
                       .mask = batch.mask},
        {});
    out.loss.backward();
    for (const auto& parameter : model->parameters()) {
      QVERIFY(!parameter.grad().defined() || parameter.grad().abs().max().item<double>() == 0.0);
    }
  }
  void kl_isZeroWhenPolicyEqualsReference() {
    auto dir = test::freshTempDir("grpo-kl");
    test::writeTinyModel(dir);
    auto policy = model::detail::loadLlamaModel(dir, torch::kCPU, torch::kFloat32);
    auto reference = model::detail::loadLlamaModel(dir, torch::kCPU, torch::kFloat32);
    auto batch = train::detail::makeCompletionBatch({{7, 8}}, {{9, 10, 11}}, torch::kCPU);
    auto a = train::detail::completionLogprobs(policy, batch, false);
    auto b = train::detail::completionLogprobs(reference, batch, false);
    auto out = train::detail::grpoLoss(
        GrpoLossInputs{.logprobs = a.logprobs, .oldLogprobs = a.logprobs.detach(),
                       .referenceLogprobs = b.logprobs.detach(),
                       .advantages = torch::tensor({1.0f}), .mask = batch.mask},
        {.klCoefficient = 0.1});
    QCOMPARE(out.kl, 0.0);
    QVERIFY(qAbs(out.loss.item<double>() + 1.0) < 1e-6);  // ratio 1, A = 1, no KL
  }
  void tinyRun_raisesReward() {
    auto dir = test::freshTempDir("grpo-run");
    test::writeTinyModel(dir / "sft");
    train::GrpoOptions options;
    options.initialModel = dir / "sft";
    options.outputDir = dir / "rl";
    options.steps = 16;
    options.promptsPerStep = 16;
    options.groupSize = 4;
    options.maxNewTokens = 6;
    options.learningRate = 2e-2;
    options.warmupSteps = 0;
    options.optimizationEpochs = 2;
    options.checkpointEvery = 8;
    options.seed = 5;
    std::vector<double> rewards;
    int rolloutCount = 0;
    train::runGrpo(options, prompts(32), ContainsDigitVerifier(),
                   {.onStep = [&](const train::GrpoStepMetrics& m) { rewards.push_back(m.rewardMean); },
                    .onRollouts = [&](const std::vector<train::GrpoRollout>& r) { rolloutCount += int(r.size()); }});
    QCOMPARE(int(rewards.size()), 16);
    QCOMPARE(rolloutCount, 16 * 64);
    double first = (rewards[0] + rewards[1] + rewards[2] + rewards[3]) / 4;
    double last = (rewards[12] + rewards[13] + rewards[14] + rewards[15]) / 4;
    QVERIFY2(last > first + 0.3, qPrintable(QString("reward %1 -> %2").arg(first).arg(last)));
    QVERIFY(std::filesystem::exists(options.outputDir / "rollouts/step-16.jsonl"));
    QVERIFY(std::filesystem::exists(options.outputDir / "final/model.safetensors"));
  }
  void resume_continuesOntoUninterruptedRun() {
    auto dir = test::freshTempDir("grpo-resume");
    test::writeTinyModel(dir / "sft");
    train::GrpoOptions options;
    options.initialModel = dir / "sft";
    options.steps = 4;
    options.promptsPerStep = 4;
    options.groupSize = 2;
    options.maxNewTokens = 6;
    options.learningRate = 1e-2;
    options.warmupSteps = 0;
    options.checkpointEvery = 2;
    options.keepCheckpoints = 10;
    options.seed = 9;
    auto length = [](std::string_view text) { return int(text.size()); };
    std::vector<train::GrpoStepMetrics> reference, resumed;
    options.outputDir = dir / "whole";
    train::runGrpo(options, prompts(8), ContainsDigitVerifier(),
                   {.onStep = [&](const train::GrpoStepMetrics& m) { reference.push_back(m); },
                    .countBacktracks = length});
    QCOMPARE(int(reference.size()), 4);
    QVERIFY(std::filesystem::exists(options.outputDir / "checkpoint-2"));  // every checkpoint kept
    QVERIFY(std::filesystem::exists(options.outputDir / "checkpoint-4"));

    options.outputDir = dir / "interrupted";
    auto stopped = train::runGrpo(options, prompts(8), ContainsDigitVerifier(),
                                  {.shouldStop = [] { return true; }, .countBacktracks = length});
    QVERIFY(stopped.stopped);
    QCOMPARE(stopped.finalStep, 1);
    auto result = train::runGrpo(
        options, prompts(8), ContainsDigitVerifier(),
        {.onStep = [&](const train::GrpoStepMetrics& m) { resumed.push_back(m); },
         .countBacktracks = length});
    QVERIFY(result.resumed);
    QCOMPARE(int(resumed.size()), 3);  // steps 2..4
    for (std::size_t i = 0; i < resumed.size(); ++i) {
      const auto& a = reference[i + 1];
      const auto& b = resumed[i];
      QCOMPARE(b.step, a.step);
      QCOMPARE(b.rewardMean, a.rewardMean);
      QCOMPARE(b.responseLength, a.responseLength);
      QVERIFY(qAbs(b.entropy - a.entropy) < 1e-6);
      QVERIFY(qAbs(b.gradNorm - a.gradNorm) < 1e-5);
      // Backtracks per response: the mean of the counter (here: characters) over completions.
      QCOMPARE(b.backtracksPerResponse, a.backtracksPerResponse);
      QVERIFY(b.backtracksPerResponse > 0.0);
    }
  }
};

QTEST_GUILESS_MAIN(GrpoTest)
#include "grpo_test.moc"
