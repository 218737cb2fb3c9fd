// Per-row seeds (GenerationOptions::rowSeeds): a prompt's samples depend on its prompt and its own
// seed only, whether it is generated alone, among other prompts of other lengths, split into
// batches by maxBatchSize, next to rows finishing early, sharing a prefill or a stored prefix;
// and a row stops at its own token limit (rowMaxNewTokens).
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"

using namespace astro::model;

namespace {

ModelConfig smallConfig() {
  return parseModelConfig(R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 64,
    "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4,
    "num_key_value_heads": 2, "initializer_range": 0.2, "max_position_embeddings": 256})",
                          "small.json");
}

std::vector<int32_t> counting(int32_t first, int length) {
  std::vector<int32_t> ids;
  for (int i = 0; i < length; ++i) ids.push_back((first + 7 * i) % 64);
  return ids;
}

// Four prompts of different lengths (left padding in a batch), one of them twice (a shared
// prefill), with distinct seeds.
const std::vector<std::vector<int32_t>> kPrompts = {counting(3, 17), counting(5, 4),
                                                    counting(9, 30), counting(3, 17)};
const std::vector<uint64_t> kSeeds = {101, 202, 303, 404};

// Each prompt alone, with its own seed.
std::vector<Generation> oneByOne(const LanguageModel& model, GenerationOptions options) {
  std::vector<Generation> results;
  for (std::size_t i = 0; i < kPrompts.size(); ++i) {
    options.rowSeeds = {kSeeds[i]};
    results.push_back(model.generate({kPrompts[i]}, options).front());
  }
  return results;
}

void compareGenerations(const std::vector<Generation>& actual,
                        const std::vector<Generation>& expected) {
  QCOMPARE(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    QCOMPARE(actual[i].ids, expected[i].ids);
    QCOMPARE(actual[i].finishReason, expected[i].finishReason);
    QCOMPARE(actual[i].logprobs.size(), expected[i].logprobs.size());
    for (std::size_t t = 0; t < actual[i].logprobs.size(); ++t) {
      QVERIFY(std::abs(actual[i].logprobs[t] - expected[i].logprobs[t]) < 1e-4f);
    }
  }
}

}  // namespace

class RowSeedGenerationTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { initTorchRuntime(1); }

  void sameRowSeed_sameTokensAloneInABatchOrSplit_data() {
    QTest::addColumn<double>("topP");
    QTest::addColumn<qlonglong>("topK");
    QTest::addColumn<bool>("sharePrefill");
    QTest::newRow("temperature") << 1.0 << 0LL << true;
    QTest::newRow("top-p") << 0.8 << 0LL << true;
    QTest::newRow("top-k") << 1.0 << 8LL << true;
    QTest::newRow("no shared prefill") << 0.9 << 20LL << false;
  }
  void sameRowSeed_sameTokensAloneInABatchOrSplit() {
    QFETCH(double, topP);
    QFETCH(qlonglong, topK);
    QFETCH(bool, sharePrefill);
    auto model = LanguageModel::randomInit(smallConfig(), 29);
    GenerationOptions options{.maxNewTokens = 24,
                              .temperature = 1.3,
                              .topP = topP,
                              .topK = topK,
                              .stopIds = {7, 21},  // rows finish at different steps
                              .returnLogprobs = true,
                              .sharePromptPrefill = sharePrefill};
    const auto alone = oneByOne(model, options);
    options.rowSeeds = kSeeds;
    compareGenerations(model.generate(kPrompts, options), alone);
    options.maxBatchSize = 3;  // batches {0, 1, 2} and {3}
    compareGenerations(model.generate(kPrompts, options), alone);
    options.maxBatchSize = 1;
    compareGenerations(model.generate(kPrompts, options), alone);
    // The same prompts in another order, among others, keep their samples.
    std::vector<std::vector<int32_t>> shuffled = {counting(1, 9),  kPrompts[2], kPrompts[0],
                                                  counting(2, 40), kPrompts[3], kPrompts[1]};
    options.rowSeeds = {7, kSeeds[2], kSeeds[0], 8, kSeeds[3], kSeeds[1]};
    options.maxBatchSize = 64;
    auto mixed = model.generate(shuffled, options);
    compareGenerations({mixed[2], mixed[5], mixed[1], mixed[4]}, alone);
    // The two rows of one prompt drew their own tokens.
    QVERIFY(alone[0].ids != alone[3].ids);
  }

  void sameRowSeed_sameTokensWithReusedPrefixes() {
    auto model = LanguageModel::randomInit(smallConfig(), 47);
    auto fresh = LanguageModel::randomInit(smallConfig(), 47);
    GenerationOptions options{.maxNewTokens = 16,
                              .temperature = 1.0,
                              .stopAtEos = false,
                              .returnLogprobs = true,
                              .reusePrefixes = true};
    // Store generations that the prompts below extend, then generate with the prefixes reused.
    auto stored = model.generate({kPrompts[0], kPrompts[2]}, options);
    auto continued = kPrompts[0];
    continued.insert(continued.end(), stored[0].ids.begin(), stored[0].ids.begin() + 5);
    std::vector<std::vector<int32_t>> prompts = {continued, kPrompts[1], kPrompts[2], continued};
    options.rowSeeds = kSeeds;
    auto reused = model.generate(prompts, options);
    options.reusePrefixes = false;
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      options.rowSeeds = {kSeeds[i]};
      auto alone = fresh.generate({prompts[i]}, options).front();
      compareGenerations({reused[i]}, {alone});
    }
  }

  void noRowSeeds_seedAndPromptIndexGiveEachRowItsSeed() {
    auto model = LanguageModel::randomInit(smallConfig(), 31);
    GenerationOptions options{.maxNewTokens = 12, .temperature = 1.0, .seed = 5};
    auto derived = model.generate(kPrompts, options);
    options.maxBatchSize = 2;  // the index in `prompts`, not in an internal batch
    compareGenerations(model.generate(kPrompts, options), derived);
    options.maxBatchSize = 64;
    for (std::size_t i = 0; i < kPrompts.size(); ++i) options.rowSeeds.push_back(rowSeed(5, i));
    compareGenerations(model.generate(kPrompts, options), derived);
  }

  void differentRowSeeds_differentTokens() {
    auto model = LanguageModel::randomInit(smallConfig(), 37);
    GenerationOptions options{.maxNewTokens = 16, .temperature = 1.0, .stopAtEos = false};
    options.rowSeeds = {1, 2};
    auto first = model.generate({kPrompts[0], kPrompts[0]}, options);
    QVERIFY(first[0].ids != first[1].ids);
    options.rowSeeds = {1, 3};
    auto second = model.generate({kPrompts[0], kPrompts[0]}, options);
    QCOMPARE(second[0].ids, first[0].ids);
    QVERIFY(second[1].ids != first[1].ids);
    QVERIFY(rowSeed(0, 0) != rowSeed(0, 1) && rowSeed(0, 1) != rowSeed(1, 0));
  }

  void rowMaxNewTokens_endEachRowAtItsOwnLimit() {
    auto model = LanguageModel::randomInit(smallConfig(), 43);
    GenerationOptions options{.maxNewTokens = 20, .temperature = 1.0, .stopAtEos = false};
    options.rowSeeds = kSeeds;
    options.rowMaxNewTokens = {5, 20, 9, 30};  // above maxNewTokens: maxNewTokens
    auto limited = model.generate(kPrompts, options);
    const std::vector<std::size_t> expected = {5, 20, 9, 20};
    for (std::size_t i = 0; i < kPrompts.size(); ++i) {
      GenerationOptions alone = options;
      alone.maxNewTokens = int64_t(expected[i]);
      alone.rowSeeds = {kSeeds[i]};
      alone.rowMaxNewTokens.clear();
      QCOMPARE(limited[i].ids, model.generate({kPrompts[i]}, alone).front().ids);
      QCOMPARE(limited[i].ids.size(), expected[i]);
      QCOMPARE(limited[i].finishReason, FinishReason::kLength);
    }
    options.rowMaxNewTokens = {5, 0, 9, 30};
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, model.generate(kPrompts, options));
  }

  void rowSeedsOfAnotherCount_isUsageError() {
    auto model = LanguageModel::randomInit(smallConfig(), 41);
    GenerationOptions options{.maxNewTokens = 2, .temperature = 1.0, .rowSeeds = {1, 2, 3}};
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, model.generate({{1, 2}, {3, 4}}, options));
  }
};

QTEST_GUILESS_MAIN(RowSeedGenerationTest)
#include "row_seed_generation_test.moc"
