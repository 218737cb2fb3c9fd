// The engine through its public API: golden logits from the Python reference, batched versus
// one-by-one generation, seeds, stop conditions, save/load, scoring.
#include "core/model/language_model.h"

#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/model/runtime.h"
#include "tests/support/test_support.h"

using namespace astro::model;

namespace {

std::filesystem::path fixture(const char* name) {
  return std::filesystem::path(ASTRO_SOURCE_DIR) / "tests/model/fixtures" / name;
}

ModelConfig smallConfig() {
  return parseModelConfig(R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 64,
    "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4,
    "num_key_value_heads": 2, "initializer_range": 0.2, "max_position_embeddings": 128})",
                          "small.json");
}

// Largest |ours - expected| over the fixture's logits.
double goldenMaxDifference(const char* name) {
  auto model = LanguageModel::load(fixture(name));
  auto expected = nlohmann::json::parse(astro::readFile(fixture(name) / "expected_logits.json"));
  auto ids = expected["ids"].get<std::vector<int32_t>>();
  auto logits = model.logits(ids);
  int64_t vocab = model.config().vocabSize;
  double worst = 0;
  for (std::size_t t = 0; t < ids.size(); ++t) {
    for (int64_t v = 0; v < vocab; ++v) {
      double want = expected["logits"][t][std::size_t(v)].get<double>();
      worst =
          std::max(worst, std::abs(double(logits[t * std::size_t(vocab) + std::size_t(v)]) - want));
    }
  }
  return worst;
}

}  // namespace

class LanguageModelTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { initTorchRuntime(); }

  void golden_llama3RopeGqaMatchesPythonReference() {
    double difference = goldenMaxDifference("llama3_gqa");
    qInfo("llama3_gqa max |logit difference| = %.3g", difference);
    QVERIFY2(difference < 1e-4, qPrintable(QString::number(difference)));
  }

  void golden_qwen3QkNormBiasTiedMatchesPythonReference() {
    double difference = goldenMaxDifference("qwen3_tied");
    qInfo("qwen3_tied max |logit difference| = %.3g", difference);
    QVERIFY2(difference < 1e-4, qPrintable(QString::number(difference)));
  }

  void batchedGeneration_equalsOneByOneGreedy() {
    auto model = LanguageModel::randomInit(smallConfig(), 7);
    std::vector<std::vector<int32_t>> prompts = {{1, 2, 3}, {5}, {9, 8, 7, 6, 5, 4, 3}, {11, 12}};
    GenerationOptions options{.maxNewTokens = 12, .stopIds = {40}};
    auto batched = model.generate(prompts, options);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      auto alone = model.generate({prompts[i]}, options).front();
      QCOMPARE(batched[i].ids, alone.ids);
      QCOMPARE(batched[i].finishReason, alone.finishReason);
    }
  }

  void batchedGeneration_sequencesFinishingEarlyLeaveOthersUnchanged() {
    auto model = LanguageModel::randomInit(smallConfig(), 3);
    std::vector<std::vector<int32_t>> prompts = {{4, 4, 4}, {7, 1}, {2, 9, 13, 21}};
    auto free = model.generate(prompts, {.maxNewTokens = 10});
    // Stop the first sequence at its third token; the others must not notice.
    auto stopped = model.generate(prompts, {.maxNewTokens = 10, .stopIds = {free[0].ids[2]}});
    QCOMPARE(stopped[0].finishReason, FinishReason::kStopToken);
    QVERIFY(stopped[0].ids.size() <= 3);
    for (std::size_t i = 1; i < prompts.size(); ++i) {
      auto stop = std::find(free[i].ids.begin(), free[i].ids.end(), free[0].ids[2]);
      std::vector<int32_t> expected(free[i].ids.begin(),
                                    stop == free[i].ids.end() ? stop : stop + 1);
      QCOMPARE(stopped[i].ids, expected);
    }
  }

  void sampling_sameSeedSameOutputOtherSeedDiffers() {
    auto model = LanguageModel::randomInit(smallConfig(), 5);
    GenerationOptions options{
        .maxNewTokens = 24, .temperature = 1.5, .topP = 0.95, .topK = 40, .seed = 42};
    std::vector<std::vector<int32_t>> prompts = {{1, 2}, {3}};
    auto first = model.generate(prompts, options);
    auto second = model.generate(prompts, options);
    QCOMPARE(first[0].ids, second[0].ids);
    QCOMPARE(first[1].ids, second[1].ids);
    options.seed = 43;
    auto other = model.generate(prompts, options);
    QVERIFY(other[0].ids != first[0].ids || other[1].ids != first[1].ids);
  }

  void sampling_topKOneIsGreedy() {
    auto model = LanguageModel::randomInit(smallConfig(), 5);
    auto greedy = model.generate({{1, 2, 3}}, {.maxNewTokens = 16});
    auto topOne =
        model.generate({{1, 2, 3}}, {.maxNewTokens = 16, .temperature = 2.0, .topK = 1, .seed = 9});
    QCOMPARE(topOne[0].ids, greedy[0].ids);
  }

  void stopId_endsGenerationIncludingIt() {
    auto model = LanguageModel::randomInit(smallConfig(), 11);
    auto free = model.generate({{3, 1}}, {.maxNewTokens = 8}).front();
    QCOMPARE(free.finishReason, FinishReason::kLength);
    QCOMPARE(free.ids.size(), std::size_t(8));
    auto stopped = model.generate({{3, 1}}, {.maxNewTokens = 8, .stopIds = {free.ids[4]}}).front();
    QCOMPARE(stopped.finishReason, FinishReason::kStopToken);
    QCOMPARE(stopped.ids.back(), free.ids[4]);
    QVERIFY(stopped.ids.size() <= 5);
  }

  void stopString_endsGenerationWhenDecodedTextContainsIt() {
    auto model = LanguageModel::randomInit(smallConfig(), 11);
    auto decode = [](std::span<const int32_t> ids) {
      std::string text;
      for (int32_t id : ids) text += "<" + std::to_string(id) + ">";
      return text;
    };
    auto free = model.generate({{3, 1}}, {.maxNewTokens = 8}).front();
    std::string stop = "<" + std::to_string(free.ids[2]) + "><" + std::to_string(free.ids[3]) + ">";
    auto stopped =
        model.generate({{3, 1}}, {.maxNewTokens = 8, .stopStrings = {stop}, .decode = decode})
            .front();
    QCOMPARE(stopped.finishReason, FinishReason::kStopString);
    QVERIFY(decode(stopped.ids).find(stop) != std::string::npos);
    QVERIFY(stopped.ids.size() <= 4);
  }

  void stopString_withoutDecode_isUsageError() {
    auto model = LanguageModel::randomInit(smallConfig(), 11);
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, model.generate({{1}}, {.stopStrings = {"x"}}));
  }

  void logprobs_matchTeacherForcedScore() {
    auto model = LanguageModel::randomInit(smallConfig(), 13);
    std::vector<int32_t> prompt = {2, 4, 6};
    auto result = model.generate({prompt}, {.maxNewTokens = 6, .returnLogprobs = true}).front();
    std::vector<int32_t> all = prompt;
    all.insert(all.end(), result.ids.begin(), result.ids.end());
    auto scores = model.score(all);
    QCOMPARE(scores.size(), all.size() - 1);
    for (std::size_t i = 0; i < result.ids.size(); ++i) {
      QVERIFY(std::abs(scores[prompt.size() - 1 + i] - result.logprobs[i]) < 1e-4f);
    }
  }

  void score_isLogSoftmaxOfLogits() {
    auto model = LanguageModel::randomInit(smallConfig(), 17);
    std::vector<int32_t> ids = {1, 30, 2, 63, 0};
    auto logits = model.logits(ids);
    auto scores = model.score(ids);
    for (std::size_t t = 0; t + 1 < ids.size(); ++t) {
      const float* row = logits.data() + t * 64;
      double total = 0;
      for (int v = 0; v < 64; ++v) total += std::exp(double(row[v]));
      QVERIFY(std::abs(scores[t] - (double(row[ids[t + 1]]) - std::log(total))) < 1e-4);
    }
  }

  void saveThenLoad_givesIdenticalLogits() {
    auto dir = astro::test::freshTempDir("model-save");
    auto model = LanguageModel::randomInit(smallConfig(), 19);
    model.save(dir);
    auto loaded = LanguageModel::load(dir);
    std::vector<int32_t> ids = {5, 6, 7, 8};
    QCOMPARE(loaded.logits(ids), model.logits(ids));
    QVERIFY(std::filesystem::exists(dir / "model.safetensors"));
  }

  void randomInit_isReproducibleForASeed() {
    std::vector<int32_t> ids = {1, 2, 3};
    auto a = LanguageModel::randomInit(smallConfig(), 23).logits(ids);
    auto b = LanguageModel::randomInit(smallConfig(), 23).logits(ids);
    auto c = LanguageModel::randomInit(smallConfig(), 24).logits(ids);
    QCOMPARE(a, b);
    QVERIFY(a != c);
  }

  void idOutsideVocabulary_isUsageErrorNamingPosition() {
    auto model = LanguageModel::randomInit(smallConfig(), 1);
    try {
      model.score(std::vector<int32_t>{1, 64});
      QFAIL("expected an error");
    } catch (const astro::UsageError& error) {
      QVERIFY2(std::string(error.what()).find("position 1") != std::string::npos, error.what());
    }
  }
};

QTEST_GUILESS_MAIN(LanguageModelTest)
#include "language_model_test.moc"
