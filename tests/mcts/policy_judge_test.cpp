// LanguageModelPolicy's self-evaluation votes on the real engine (a random-init world model): the
// prompt holds the problem, the solution's steps and the question; K votes per solution come back
// in order, the same for the same seeds.
#include <QtTest>

#include "core/model/language_model.h"
#include "core/model/model_config.h"
#include "core/model/runtime.h"
#include "core/search/policy_language_model.h"
#include "core/tokenizer/tokenizer.h"

using namespace astro::search;

class PolicyJudgeTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void judgeSolutions_givesKVotesPerSolutionReproducibly() {
    astro::model::initTorchRuntime(1);
    const std::filesystem::path world = ASTRO_SOURCE_DIR "/resources/world";
    const auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(world);
    const auto model = astro::model::LanguageModel::randomInit(
        astro::model::readModelConfig(world / "models/tiny.json"), 3);
    LanguageModelPolicy policy(model, tokenizer);
    const astro::math::Problem problem{
        .id = "p", .question = "Reach 24 with 3 8 1", .answer = "24"};
    const std::vector<PolicyState> states = {
        {.problem = &problem, .steps = {"3 * 8 = 24", "\\boxed{24}"}, .seed = 1},
        {.problem = &problem, .steps = {"\\boxed{24}"}, .seed = 2}};

    const std::string prompt = policy.judgePromptText(states[0]);
    QVERIFY(prompt.find("Reach 24 with 3 8 1") != std::string::npos);
    QVERIFY(prompt.find("3 * 8 = 24\n\n\\boxed{24}") != std::string::npos);
    QVERIFY(prompt.find("valid or invalid") != std::string::npos);

    const SelfEvaluationSampling sampling{.votes = 3, .temperature = 1.0, .maxTokens = 4};
    const auto votes = policy.judgeSolutions(states, sampling);
    QCOMPARE(votes.size(), std::size_t(2));
    QCOMPARE(votes[0].size(), std::size_t(3));
    QCOMPARE(votes[1].size(), std::size_t(3));
    QCOMPARE(policy.judgeSolutions(states, sampling), votes);
  }
};

QTEST_GUILESS_MAIN(PolicyJudgeTest)
#include "policy_judge_test.moc"
