// Batched generation's fast paths give what the plain paths give: rows sharing one prompt's
// prefill, prompts of very different lengths prefilled in separate runs, finished rows leaving
// the batch in groups, and stop strings checked on the generation's tail only.
#include <QtTest>
#include <cmath>

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

float maxLogprobDifference(const Generation& a, const Generation& b) {
  float worst = 0;
  for (std::size_t i = 0; i < std::min(a.logprobs.size(), b.logprobs.size()); ++i) {
    worst = std::max(worst, std::abs(a.logprobs[i] - b.logprobs[i]));
  }
  return worst;
}

// Token id -> "<id>", and the empty string for ids 60..63 (like special tokens a tokenizer skips).
std::string decodeTagged(std::span<const int32_t> ids) {
  std::string text;
  for (int32_t id : ids) {
    if (id < 60) text += "<" + std::to_string(id) + ">";
  }
  return text;
}

}  // namespace

class BatchedGenerationTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { initTorchRuntime(); }

  void sharedPromptPrefill_givesTheSameSamplesAndLogprobsAsSeparateRows() {
    auto model = LanguageModel::randomInit(smallConfig(), 29);
    auto shared = counting(3, 17), other = counting(5, 9);
    std::vector<std::vector<int32_t>> prompts = {shared, shared, other, shared, other, shared};
    GenerationOptions options{
        .maxNewTokens = 20, .temperature = 1.0, .seed = 4, .returnLogprobs = true};
    auto withSharing = model.generate(prompts, options);
    options.sharePromptPrefill = false;
    auto separate = model.generate(prompts, options);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      QCOMPARE(withSharing[i].ids, separate[i].ids);
      QCOMPARE(withSharing[i].finishReason, separate[i].finishReason);
      float difference = maxLogprobDifference(withSharing[i], separate[i]);
      QVERIFY2(difference < 1e-5f, qPrintable(QString::number(difference)));
    }
    // Rows sampling from one prompt still draw their own tokens.
    QVERIFY(withSharing[0].ids != withSharing[1].ids || withSharing[1].ids != withSharing[3].ids);
  }

  void promptsOfVeryDifferentLengths_matchOneByOneGeneration() {
    auto model = LanguageModel::randomInit(smallConfig(), 31);
    std::vector<std::vector<int32_t>> prompts = {counting(1, 3),  counting(2, 60), counting(3, 1),
                                                 counting(4, 58), counting(5, 25), counting(6, 3)};
    GenerationOptions options{.maxNewTokens = 16, .returnLogprobs = true};
    auto batched = model.generate(prompts, options);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      auto alone = model.generate({prompts[i]}, options).front();
      QCOMPARE(batched[i].ids, alone.ids);
      float difference = maxLogprobDifference(batched[i], alone);
      QVERIFY2(difference < 1e-4f, qPrintable(QString::number(difference)));
    }
  }

  void rowsFinishingAtDifferentSteps_leaveOthersUnchanged() {
    auto model = LanguageModel::randomInit(smallConfig(), 37);
    std::vector<std::vector<int32_t>> prompts;
    for (int32_t i = 0; i < 12; ++i) prompts.push_back(counting(i, 4 + i));
    GenerationOptions options{.maxNewTokens = 24, .stopAtEos = false, .returnLogprobs = true};
    auto free = model.generate(prompts, options);
    // Each row's own token at step (row % 8) stops it: rows leave over many steps.
    std::vector<int32_t> stops;
    for (std::size_t i = 0; i < prompts.size(); ++i) stops.push_back(free[i].ids[i % 8]);
    options.stopIds = stops;
    auto stopped = model.generate(prompts, options);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      auto alone = model.generate({prompts[i]}, options).front();
      QCOMPARE(stopped[i].ids, alone.ids);
      QCOMPARE(stopped[i].finishReason, FinishReason::kStopToken);
      QVERIFY(maxLogprobDifference(stopped[i], alone) < 1e-4f);
    }
  }

  void stopString_foundAcrossTokensLongAfterTheStart() {
    auto model = LanguageModel::randomInit(smallConfig(), 41);
    auto free = model.generate({{3, 1}}, {.maxNewTokens = 60, .stopAtEos = false}).front();
    // The first place, past token 30, where two neighbouring tokens both have text.
    std::size_t at = 30;
    while (at + 1 < free.ids.size() && (free.ids[at] >= 60 || free.ids[at + 1] >= 60)) ++at;
    QVERIFY(at + 1 < free.ids.size());
    std::string stop = decodeTagged(std::span(free.ids).subspan(at, 2));
    stop = stop.substr(1, stop.size() - 2);  // "12><34": starts and ends inside tokens
    GenerationOptions options{
        .maxNewTokens = 60, .stopAtEos = false, .stopStrings = {stop}, .decode = decodeTagged};
    auto stopped = model.generate({{3, 1}}, options).front();
    QCOMPARE(stopped.finishReason, FinishReason::kStopString);
    std::string whole = decodeTagged(stopped.ids);
    QVERIFY(whole.find(stop) != std::string::npos);
    // It stopped at the first token whose text completes the stop string, no later.
    auto shorter = std::span(stopped.ids).first(stopped.ids.size() - 1);
    QVERIFY(decodeTagged(shorter).find(stop) == std::string::npos);
  }

  void stopString_seenThroughTokensWithoutText() {
    auto model = LanguageModel::randomInit(smallConfig(), 43);
    // Even ids decode to nothing, odd ids to "x": the stop string's bytes are spread over
    // more tokens than it has bytes, so the checked tail must grow to find it.
    auto decode = [](std::span<const int32_t> ids) {
      std::string text;
      for (int32_t id : ids) text += id % 2 == 0 ? "" : "x";
      return text;
    };
    GenerationOptions options{.maxNewTokens = 200,
                              .temperature = 1.0,
                              .seed = 3,
                              .stopAtEos = false,
                              .stopStrings = {"xxxxxx"},
                              .decode = decode};
    auto stopped = model.generate({{2, 5}}, options).front();
    QCOMPARE(stopped.finishReason, FinishReason::kStopString);
    QCOMPARE(decode(stopped.ids), std::string("xxxxxx"));  // stopped at the sixth odd id
    QCOMPARE(stopped.ids.back() % 2, 1);
  }
};

QTEST_GUILESS_MAIN(BatchedGenerationTest)
#include "batched_generation_test.moc"
