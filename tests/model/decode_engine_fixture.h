// What the DecodeEngine suites share: a tiny random model with peaked logits, requests whose
// callbacks record everything they see, and the comparison with LanguageModel::generate alone.
//
// Equality rule: tokens and finish reasons equal, logprobs within 1e-4. Logits of one row differ
// between batch compositions in their last bits only (docs/mcts.md, Batching and determinism);
// for this random-init tiny model and these seeds that never flips a token.
#pragma once

#include <QtTest>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/model/decode_engine.h"
#include "core/model/language_model.h"

namespace astro::test::engine {

using namespace astro::model;
using namespace std::chrono_literals;

// resources/world/models/tiny.json with a larger init range, so the random model's logits are
// peaked (tied greedy choices would make the equality rule fragile).
inline ModelConfig tinyConfig() {
  ModelConfig config =
      readModelConfig(std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/world/models/tiny.json");
  config.initializerRange = 0.2;
  return config;
}

inline std::vector<int32_t> counting(int32_t first, int length) {
  std::vector<int32_t> ids;
  for (int i = 0; i < length; ++i) ids.push_back((first + 37 * i) % 1300);
  return ids;
}

inline std::string decodeTagged(std::span<const int32_t> ids) {
  std::string text;
  for (int32_t id : ids) text += "<" + std::to_string(id) + ">";
  return text;
}

// Everything the callbacks of one request saw.
struct Outcome {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int32_t> streamed;
  std::vector<float> streamedLogprobs;
  std::optional<Generation> finished;
  std::optional<std::string> error;
  std::atomic<int> callbacks = 0;

  bool ended() const { return finished || error; }
  void waitTokens(std::size_t count) {
    std::unique_lock lock(mutex);
    QVERIFY(changed.wait_for(lock, 60s, [&] { return streamed.size() >= count || ended(); }));
  }
  void waitEnd() {
    std::unique_lock lock(mutex);
    QVERIFY(changed.wait_for(lock, 60s, [&] { return ended(); }));
  }
};

inline DecodeRequest requestFor(std::vector<int32_t> prompt, GenerationOptions options,
                         const std::shared_ptr<Outcome>& outcome) {
  DecodeRequest request{.prompt = std::move(prompt), .options = std::move(options)};
  request.onToken = [outcome](int32_t id, float logprob) {
    ++outcome->callbacks;
    std::lock_guard lock(outcome->mutex);
    outcome->streamed.push_back(id);
    outcome->streamedLogprobs.push_back(logprob);
    outcome->changed.notify_all();
  };
  request.onFinish = [outcome](const Generation& generation) {
    ++outcome->callbacks;
    std::lock_guard lock(outcome->mutex);
    QVERIFY(!outcome->ended());
    outcome->finished = generation;
    outcome->changed.notify_all();
  };
  request.onError = [outcome](const std::string& message) {
    ++outcome->callbacks;
    std::lock_guard lock(outcome->mutex);
    QVERIFY(!outcome->ended());
    outcome->error = message;
    outcome->changed.notify_all();
  };
  return request;
}

// One request's prompt and options, and generate's result for it alone.
struct Case {
  std::vector<int32_t> prompt;
  GenerationOptions options;
  Generation expected;
};

inline Case caseFor(const LanguageModel& model, std::vector<int32_t> prompt, GenerationOptions options) {
  Generation expected = model.generate({prompt}, options).front();
  return {std::move(prompt), std::move(options), std::move(expected)};
}

inline void compareToExpected(Outcome& outcome, const Generation& expected) {
  std::lock_guard lock(outcome.mutex);
  QVERIFY2(!outcome.error, outcome.error.value_or("").c_str());
  QVERIFY(outcome.finished);
  const Generation& actual = *outcome.finished;
  QCOMPARE(actual.ids, expected.ids);
  QCOMPARE(outcome.streamed, expected.ids);
  QCOMPARE(actual.finishReason, expected.finishReason);
  QCOMPARE(actual.logprobs.size(), expected.logprobs.size());
  for (std::size_t t = 0; t < actual.logprobs.size(); ++t) {
    QVERIFY2(std::abs(actual.logprobs[t] - expected.logprobs[t]) < 1e-4f,
             qPrintable(QString("token %1: %2 vs %3")
                            .arg(t)
                            .arg(actual.logprobs[t])
                            .arg(expected.logprobs[t])));
    QCOMPARE(outcome.streamedLogprobs[t], actual.logprobs[t]);
  }
}

inline GenerationOptions sampled(uint64_t seed, int64_t maxNewTokens) {
  return {.maxNewTokens = maxNewTokens,
          .temperature = 1.0,
          .topP = 0.9,
          .rowSeeds = {seed},
          .returnLogprobs = true};
}

}  // namespace astro::test::engine
