// Batched generation's fast paths give what the plain paths give: rows sharing one prompt's
// prefill, prompts continuing stored generations (prefix reuse), prompts of very different
// lengths prefilled in separate runs, finished rows leaving the batch in groups, and stop strings
// checked on the generation's tail only.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/model/detail/language_model_impl.h"
#include "core/model/language_model.h"
#include "core/model/detail/parallel_parts.h"
#include "core/model/runtime.h"
#include "tests/model/calling_threads.h"

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

  void reusedPrefixes_giveTheSameSamplesAndLogprobsAsAFreshPrefill() {
    auto model = LanguageModel::randomInit(smallConfig(), 47);
    auto fresh = LanguageModel::randomInit(smallConfig(), 47);
    GenerationOptions options{
        .maxNewTokens = 12, .stopAtEos = false, .returnLogprobs = true, .reusePrefixes = true};
    auto prompt = counting(9, 21);
    auto first = model.generate({prompt, counting(2, 5)}, options).front();
    QVERIFY(model.impl().prefixStore.size() >= 2);
    // Continuations of the stored generation, the stored prompt itself, a prefix of it, an
    // unrelated prompt, and one that shares only its first tokens.
    auto continued = prompt;
    continued.insert(continued.end(), first.ids.begin(), first.ids.begin() + 7);
    auto extended = continued;
    extended.insert(extended.end(), {1, 2, 3});
    auto diverging = prompt;
    diverging.resize(6);
    diverging.insert(diverging.end(), {50, 51, 52, 53});
    std::vector<std::vector<int32_t>> prompts = {
        continued,        prompt,
        extended,         std::vector<int32_t>(prompt.begin(), prompt.begin() + 9),
        counting(30, 14), diverging,
        continued};
    options.temperature = 1.0;
    options.seed = 8;
    auto reused = model.generate(prompts, options);
    options.reusePrefixes = false;
    auto computed = fresh.generate(prompts, options);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      QCOMPARE(reused[i].ids, computed[i].ids);
      float difference = maxLogprobDifference(reused[i], computed[i]);
      QVERIFY2(difference < 1e-5f, qPrintable(QString::number(difference)));
    }
  }

  void reusedPrefixes_overSeveralRounds_giveWhatAFreshPrefillGives() {
    // As MCTS does: each round's prompts (k copies each) extend earlier rounds' generations, so
    // stored sequences start with other stored sequences and prompts of one batch reuse stored
    // prefixes of different lengths (padding between a stored prefix and the computed rest).
    auto model = LanguageModel::randomInit(smallConfig(), 61);
    auto fresh = LanguageModel::randomInit(smallConfig(), 61);
    GenerationOptions options{.maxNewTokens = 6,
                              .temperature = 1.0,
                              .stopAtEos = false,
                              .returnLogprobs = true,
                              .reusePrefixes = true};
    std::vector<std::vector<int32_t>> states = {counting(3, 11), counting(8, 5), counting(1, 17)};
    for (uint64_t round = 0; round < 4; ++round) {
      std::vector<std::vector<int32_t>> prompts;
      for (const auto& state : states) prompts.insert(prompts.end(), 3, state);
      options.seed = round;
      options.reusePrefixes = true;
      auto reused = model.generate(prompts, options);
      options.reusePrefixes = false;
      auto computed = fresh.generate(prompts, options);
      for (std::size_t i = 0; i < prompts.size(); ++i) {
        QCOMPARE(reused[i].ids, computed[i].ids);
        float difference = maxLogprobDifference(reused[i], computed[i]);
        QVERIFY2(difference < 1e-5f, qPrintable(QString::number(difference)));
      }
      // Next round: each state continues with part of one of its samples.
      for (std::size_t s = 0; s < states.size(); ++s) {
        const auto& ids = reused[3 * s + round % 3].ids;
        states[s].insert(states[s].end(), ids.begin(), ids.begin() + 2 + std::ptrdiff_t(s));
      }
    }
  }

  void prefixStore_keepsLongestSequencesWithinItsBudget() {
    using astro::model::detail::PrefixStore;
    using astro::model::detail::StoredSequence;
    auto sequence = [](std::vector<int32_t> tokens) {
      auto n = int64_t(tokens.size());
      return StoredSequence{
          std::move(tokens), {torch::zeros({n, 1, 4})}, {torch::zeros({n, 1, 4})}};
    };
    PrefixStore store;
    int64_t budget = 1 << 20;
    store.insert(sequence({1, 2, 3}), budget);
    store.insert(sequence({1, 2, 3, 4, 5}), budget);  // replaces its prefix {1, 2, 3}
    store.insert(sequence({1, 2}), budget);  // already held as the start of {1, 2, 3, 4, 5}
    store.insert(sequence({7, 8}), budget);
    QCOMPARE(store.size(), std::size_t(2));
    std::vector<int32_t> prompt = {1, 2, 3, 4, 9};
    QCOMPARE(store.longestMatch(prompt, 10).length, int64_t(4));
    QCOMPARE(store.longestMatch(prompt, 2).length, int64_t(2));
    QCOMPARE(store.longestMatch(std::vector<int32_t>{5}, 10).length, int64_t(0));
    // {7, 8} is now the least recently used: a budget for one sequence keeps the other.
    auto bytes = sequence({1, 2, 3, 4, 5}).bytes();
    store.insert(sequence({4, 4, 4, 4, 4}), bytes + sequence({4, 4, 4, 4, 4}).bytes());
    QCOMPARE(store.size(), std::size_t(2));
    QCOMPARE(store.longestMatch(std::vector<int32_t>{7, 8, 1}, 10).length, int64_t(0));
    QCOMPARE(store.longestMatch(prompt, 10).length, int64_t(4));
  }

  void sampling_drawsTokensWithTheModelsProbabilities() {
    auto model = LanguageModel::randomInit(smallConfig(), 53);
    std::vector<int32_t> prompt = {4, 9, 16};
    auto logits = model.logits(prompt);
    const float* last = logits.data() + 2 * 64;  // next-token logits after the prompt
    for (int64_t topK : {0, 5}) {
      double temperature = 1.5;
      std::vector<double> expected(64, 0.0);
      std::vector<float> sorted(last, last + 64);
      std::sort(sorted.rbegin(), sorted.rend());
      double total = 0;
      for (int v = 0; v < 64; ++v) {
        if (topK > 0 && last[v] < sorted[std::size_t(topK - 1)]) continue;
        expected[std::size_t(v)] = std::exp(double(last[v]) / temperature);
        total += expected[std::size_t(v)];
      }
      const int draws = 4000;
      auto samples = model.generate(std::vector<std::vector<int32_t>>(draws, prompt),
                                    {.maxNewTokens = 1,
                                     .temperature = temperature,
                                     .topK = topK,
                                     .seed = 17,
                                     .maxBatchSize = draws});
      std::vector<int> counts(64, 0);
      for (const auto& sample : samples) ++counts[std::size_t(sample.ids.front())];
      for (int v = 0; v < 64; ++v) {
        double p = expected[std::size_t(v)] / total,
               frequency = counts[std::size_t(v)] / double(draws);
        // Six standard deviations of a frequency over 4000 draws, and never a masked token.
        QVERIFY2(
            std::abs(frequency - p) <= 6 * std::sqrt(p * (1 - p) / draws) + 1e-9,
            qPrintable(
                QString("token %1: frequency %2, probability %3").arg(v).arg(frequency).arg(p)));
      }
    }
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

  // With two torch threads, a batch of many distinct prompts runs as two sub-batches side by side
  // (generate.cpp): each row still gives what one batch on one thread gives, the work really
  // spreads over two threads, and an error in either sub-batch reaches the caller.
  void subBatchesOnTwoThreads_giveWhatOneBatchGives() {
    auto model = LanguageModel::randomInit(smallConfig(), 47);
    std::vector<std::vector<int32_t>> prompts;
    for (int32_t i = 0; i < 20; ++i) prompts.push_back(counting(i, 3 + (i * 5) % 23));
    prompts.push_back(prompts[3]);  // a shared prompt stays with its twin
    prompts.push_back(prompts[3]);
    astro::test::CallingThreads threads;
    auto decode = threads.record(decodeTagged);
    GenerationOptions options{.maxNewTokens = 24,
                              .temperature = 1.0,
                              .seed = 9,
                              .stopStrings = {"<1><"},
                              .decode = decode,
                              .returnLogprobs = true,
                              .reusePrefixes = true};
    initTorchRuntime(1);
    auto oneThread = model.generate(prompts, options);
    QCOMPARE(threads.count(), std::size_t(1));
    threads.clear();
    initTorchRuntime(2);
    auto twoThreads = model.generate(prompts, options);
    auto failing = options;
    failing.decode = [&](std::span<const int32_t> ids) -> std::string {
      if (ids.size() > 3) throw std::runtime_error("decode failed");
      return decode(ids);
    };
    bool threw = false;
    try {
      model.generate(prompts, failing);
    } catch (const std::runtime_error& error) {
      threw = std::string(error.what()) == "decode failed";
    }
    initTorchRuntime(1);
    // Without OpenMP (detail/parallel_parts.h) the batch stays whole, on the caller's thread.
    QCOMPARE(threads.count(), std::size_t(astro::model::detail::partsRunInParallel() ? 2 : 1));
    QVERIFY(threw);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      QCOMPARE(twoThreads[i].ids, oneThread[i].ids);
      QCOMPARE(twoThreads[i].finishReason, oneThread[i].finishReason);
      float difference = maxLogprobDifference(twoThreads[i], oneThread[i]);
      QVERIFY2(difference < 1e-4f, qPrintable(QString::number(difference)));
    }
  }
};

QTEST_GUILESS_MAIN(BatchedGenerationTest)
#include "batched_generation_test.moc"
