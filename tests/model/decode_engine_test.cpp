// DecodeEngine (continuous batching for `astro serve`): every request, whenever it arrives and
// whatever shares its batch, draws what LanguageModel::generate draws for it alone (the equality
// rule in decode_engine_fixture.h); stop rules and finish reasons match generate; cancel, bad
// requests and shutdown behave as declared. Sub-batches on several threads:
// decode_engine_sub_batches_test.cpp.
#include "core/model/decode_engine.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "core/base/error.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"
#include "tests/model/decode_engine_fixture.h"

using namespace astro::model;
using namespace astro::test::engine;
using namespace std::chrono_literals;

class DecodeEngineTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { initTorchRuntime(1); }

  void oneRequest_equalsGenerate_data() {
    QTest::addColumn<double>("temperature");
    QTest::addColumn<qlonglong>("topK");
    QTest::newRow("greedy") << 0.0 << 0LL;
    QTest::newRow("sampled") << 1.0 << 0LL;
    QTest::newRow("top-k") << 0.8 << 20LL;
  }
  void oneRequest_equalsGenerate() {
    QFETCH(double, temperature);
    QFETCH(qlonglong, topK);
    auto model = LanguageModel::randomInit(tinyConfig(), 7);
    GenerationOptions options{.maxNewTokens = 30,
                              .temperature = temperature,
                              .topK = topK,
                              .rowSeeds = {99},
                              .returnLogprobs = true};
    Case one = caseFor(model, counting(5, 12), options);
    DecodeEngine engine(model);
    auto outcome = std::make_shared<Outcome>();
    engine.submit(requestFor(one.prompt, one.options, outcome));
    outcome->waitEnd();
    compareToExpected(*outcome, one.expected);
  }

  // 16 requests from 4 threads, each thread submitting its next request once its previous one is
  // decoding; prompt lengths 1 to 150, greedy and sampled, limits 6 to 40.
  void concurrentRequests_eachEqualsGenerateAlone() {
    auto model = LanguageModel::randomInit(tinyConfig(), 11);
    std::vector<Case> cases;
    const int lengths[] = {1, 150, 3, 80, 17, 2, 120, 9, 40, 5, 64, 1, 33, 100, 7, 25};
    for (int i = 0; i < 16; ++i) {
      GenerationOptions options = sampled(1000 + uint64_t(i), 6 + (i * 7) % 35);
      if (i % 3 == 0) options.temperature = 0;
      if (i % 4 == 1) options.topK = 30;
      if (i % 5 == 2) options.returnLogprobs = false;
      cases.push_back(caseFor(model, counting(i * 13 + 1, lengths[i]), options));
    }
    DecodeEngine engine(model);
    std::vector<std::shared_ptr<Outcome>> outcomes;
    for (int i = 0; i < 16; ++i) outcomes.push_back(std::make_shared<Outcome>());
    std::vector<std::thread> clients;
    for (int thread = 0; thread < 4; ++thread) {
      clients.emplace_back([&, thread] {
        std::this_thread::sleep_for(thread * 3ms);
        for (int i = thread; i < 16; i += 4) {
          engine.submit(requestFor(cases[i].prompt, cases[i].options, outcomes[i]));
          outcomes[i]->waitTokens(3);
        }
      });
    }
    for (auto& client : clients) client.join();
    for (int i = 0; i < 16; ++i) {
      outcomes[i]->waitEnd();
      compareToExpected(*outcomes[i], cases[i].expected);
    }
    DecodeEngineStats stats = engine.stats();
    QVERIFY(stats.largestBatch > 1);
    QVERIFY(stats.joins > 0);
    QCOMPARE(stats.queued, 0);
    QTRY_COMPARE(engine.stats().live, 0);  // set after the step that finished the last row
  }

  // submitAll queues its requests together: submitted while another request decodes, all of them
  // join at one step (one join, not one each), and each still equals generate alone. When one is
  // refused, none is queued.
  void submitAll_joinsTogetherOrNotAtAll() {
    auto model = LanguageModel::randomInit(tinyConfig(), 17);
    std::vector<Case> cases;
    for (int i = 0; i < 8; ++i) {
      cases.push_back(caseFor(model, counting(20 + i, 3 + i), sampled(20 + i, 12)));
    }
    DecodeEngine engine(model, {.maxBatchRows = 16});
    auto running = std::make_shared<Outcome>();
    engine.submit(requestFor(counting(9, 6), sampled(9, 200), running));
    running->waitTokens(3);
    std::vector<std::shared_ptr<Outcome>> outcomes;
    std::vector<DecodeRequest> requests;
    for (const Case& one : cases) {
      outcomes.push_back(std::make_shared<Outcome>());
      requests.push_back(requestFor(one.prompt, one.options, outcomes.back()));
    }
    QCOMPARE(engine.submitAll(std::move(requests)).size(), cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
      outcomes[i]->waitEnd();
      compareToExpected(*outcomes[i], cases[i].expected);
    }
    QCOMPARE(engine.stats().joins, 1);

    auto refused = std::make_shared<Outcome>();
    std::vector<DecodeRequest> mixed;
    mixed.push_back(requestFor(counting(1, 3), sampled(1, 4), refused));
    mixed.push_back(requestFor({}, sampled(2, 4), refused));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, engine.submitAll(std::move(mixed)));
    QCOMPARE(engine.stats().queued, 0);
    running->waitEnd();
    QCOMPARE(int(refused->callbacks), 0);
  }

  // A prompt longer than the running cache joins (the running rows move right), then a shorter one
  // (it is padded on the left); maxBatchRows 2 keeps the third queued until the first ends, and it
  // joins the second, which decodes far longer, with the first's row dropped in the merge.
  void longAndShortPromptsJoiningMidDecode_equalGenerate() {
    auto model = LanguageModel::randomInit(tinyConfig(), 13);
    std::vector<Case> cases = {caseFor(model, counting(1, 4), sampled(1, 60)),
                               caseFor(model, counting(2, 200), sampled(2, 200)),
                               caseFor(model, counting(3, 2), sampled(3, 30))};
    DecodeEngine engine(model, {.maxBatchRows = 2});
    std::vector<std::shared_ptr<Outcome>> outcomes;
    for (const Case& one : cases) {
      outcomes.push_back(std::make_shared<Outcome>());
      engine.submit(requestFor(one.prompt, one.options, outcomes.back()));
      outcomes.back()->waitTokens(5);
    }
    for (std::size_t i = 0; i < cases.size(); ++i) {
      outcomes[i]->waitEnd();
      compareToExpected(*outcomes[i], cases[i].expected);
    }
    QCOMPARE(engine.stats().largestBatch, 2);
    QVERIFY(engine.stats().joins >= 2);
  }

  // Stop ids, stop strings, the config's eos, per-row and overall token limits end where generate
  // ends, with its finish reasons, all decoded in one batch.
  // A request whose prompt extends a finished one (an MCTS child after its parent) copies that
  // sequence's keys and values from the engine's prefix store and computes only the rest; its
  // tokens equal generate's fresh prefill (greedy on peaked logits; logprobs within 1e-4). With
  // the store off, nothing is copied.
  void extendingAFinishedRequest_prefillsOnlyTheRest() {
    auto model = LanguageModel::randomInit(tinyConfig(), 13);
    const GenerationOptions greedy{.maxNewTokens = 10, .rowSeeds = {1}, .returnLogprobs = true};
    const std::vector<int32_t> parent = counting(9, 40);
    for (int64_t budget : {int64_t(256) << 20, int64_t(0)}) {
      DecodeEngine engine(model, {.prefixStoreBytes = budget});
      auto first = std::make_shared<Outcome>();
      engine.submit(requestFor(parent, greedy, first));
      first->waitEnd();
      std::vector<int32_t> child = parent;
      child.insert(child.end(), first->finished->ids.begin(), first->finished->ids.end());
      for (int32_t id : counting(3, 5)) child.push_back(id);
      Case next = caseFor(model, child, greedy);
      auto second = std::make_shared<Outcome>();
      engine.submit(requestFor(child, greedy, second));
      second->waitEnd();
      compareToExpected(*second, next.expected);
      DecodeEngineStats stats = engine.stats();
      QCOMPARE(stats.promptTokens, int64_t(parent.size() + child.size()));
      // The parent's prompt and all its tokens but the last (never fed through the model).
      const auto parentSequence = int64_t(parent.size() + first->finished->ids.size() - 1);
      QCOMPARE(stats.storedPromptTokens, budget > 0 ? parentSequence : int64_t(0));
    }
  }

  void stopRules_matchGenerate() {
    auto prompt = counting(9, 10);
    auto free = sampled(5, 40);
    free.stopAtEos = false;
    Generation freeRun =
        LanguageModel::randomInit(tinyConfig(), 17).generate({prompt}, free).front();
    QCOMPARE(freeRun.ids.size(), std::size_t(40));
    // The same weights (same seed), with a token the free run draws as the eos.
    ModelConfig config = tinyConfig();
    config.eosTokenIds = {freeRun.ids[30]};
    auto model = LanguageModel::randomInit(config, 17);
    auto stopId = free, stopString = free, rowLimit = free, eos = free, limit = free;
    stopId.stopIds = {freeRun.ids[12]};
    // Starts inside a token's text, so the tail decoded for the check must reach back.
    stopString.stopStrings = {decodeTagged(std::span(freeRun.ids).subspan(20, 2)).substr(2)};
    stopString.decode = decodeTagged;
    rowLimit.rowMaxNewTokens = {9};
    eos.stopAtEos = true;
    limit.maxNewTokens = 6;
    std::vector<Case> cases;
    for (const auto& options : {free, stopId, stopString, rowLimit, eos, limit}) {
      cases.push_back(caseFor(model, prompt, options));
    }
    QCOMPARE(cases[0].expected.ids, freeRun.ids);
    QCOMPARE(cases[1].expected.finishReason, FinishReason::kStopToken);
    QCOMPARE(cases[2].expected.finishReason, FinishReason::kStopString);
    QCOMPARE(cases[3].expected.ids.size(), std::size_t(9));
    QCOMPARE(cases[4].expected.finishReason, FinishReason::kStopToken);
    QCOMPARE(cases[5].expected.finishReason, FinishReason::kLength);
    QCOMPARE(cases[5].expected.ids.size(), std::size_t(6));
    DecodeEngine engine(model);
    std::vector<std::shared_ptr<Outcome>> outcomes;
    for (const Case& one : cases) {
      outcomes.push_back(std::make_shared<Outcome>());
      engine.submit(requestFor(one.prompt, one.options, outcomes.back()));
    }
    for (std::size_t i = 0; i < cases.size(); ++i) {
      outcomes[i]->waitEnd();
      compareToExpected(*outcomes[i], cases[i].expected);
    }
  }

  void cancelMidDecode_stopsItsCallbacksOnly() {
    auto model = LanguageModel::randomInit(tinyConfig(), 19);
    std::vector<Case> cases = {caseFor(model, counting(1, 6), sampled(1, 60)),
                               caseFor(model, counting(2, 9), sampled(2, 60)),
                               caseFor(model, counting(3, 3), sampled(3, 60))};
    DecodeEngine engine(model, {.maxBatchRows = 3});
    std::vector<std::shared_ptr<Outcome>> outcomes;
    std::vector<uint64_t> ids;
    for (const Case& one : cases) {
      outcomes.push_back(std::make_shared<Outcome>());
      ids.push_back(engine.submit(requestFor(one.prompt, one.options, outcomes.back())));
    }
    // One more that cancels itself from its own onToken (on the engine thread) at its third
    // token, and one that waits in the queue behind the full batch and is cancelled there.
    auto selfCancelled = std::make_shared<Outcome>(), queued = std::make_shared<Outcome>();
    std::promise<uint64_t> selfId;
    auto selfIdFuture = selfId.get_future().share();
    DecodeRequest self = requestFor(counting(4, 5), sampled(4, 60), selfCancelled);
    self.onToken = [&engine, selfIdFuture, selfCancelled](int32_t, float) {
      if (++selfCancelled->callbacks == 3) engine.cancel(selfIdFuture.get());
    };
    selfId.set_value(engine.submit(std::move(self)));
    uint64_t queuedId = engine.submit(requestFor(counting(5, 5), sampled(5, 10), queued));
    engine.cancel(queuedId);

    outcomes[1]->waitTokens(5);
    engine.cancel(ids[1]);
    int callbacksAtCancel = outcomes[1]->callbacks;
    engine.cancel(ids[1]);  // twice: ignored
    engine.cancel(123456);  // unknown: ignored
    for (int i : {0, 2}) {
      outcomes[i]->waitEnd();
      compareToExpected(*outcomes[i], cases[i].expected);
    }
    QTRY_COMPARE_WITH_TIMEOUT(engine.stats().live, 0, 60000);
    QCOMPARE(int(outcomes[1]->callbacks), callbacksAtCancel);
    QVERIFY(!outcomes[1]->ended());
    QVERIFY(outcomes[1]->streamed.size() < 60);
    QCOMPARE(int(selfCancelled->callbacks), 3);
    QCOMPARE(int(queued->callbacks), 0);
  }

  // A request whose decode function or onToken throws ends with onError; the others, and later
  // requests, are unaffected.
  void failingRequest_endsWithAnError_othersGoOn() {
    auto model = LanguageModel::randomInit(tinyConfig(), 31);
    Case healthy = caseFor(model, counting(6, 11), sampled(6, 30));
    DecodeEngine engine(model);
    auto throwingDecode = std::make_shared<Outcome>(), throwingToken = std::make_shared<Outcome>(),
         first = std::make_shared<Outcome>(), later = std::make_shared<Outcome>();
    GenerationOptions badDecode = sampled(7, 30);
    badDecode.stopStrings = {"never"};
    badDecode.decode = [calls = 0](std::span<const int32_t>) mutable -> std::string {
      if (++calls > 10) throw std::runtime_error("tokenizer broke");
      return "x";
    };
    engine.submit(requestFor(counting(7, 5), badDecode, throwingDecode));
    DecodeRequest badToken = requestFor(counting(8, 9), sampled(8, 30), throwingToken);
    badToken.onToken = [](int32_t, float) { throw std::runtime_error("client gone"); };
    engine.submit(std::move(badToken));
    engine.submit(requestFor(healthy.prompt, healthy.options, first));
    for (const auto& outcome : {throwingDecode, throwingToken, first}) outcome->waitEnd();
    QVERIFY(throwingDecode->error &&
            throwingDecode->error->find("tokenizer broke") != std::string::npos);
    QVERIFY(throwingToken->error && throwingToken->error->find("client gone") != std::string::npos);
    compareToExpected(*first, healthy.expected);
    engine.submit(requestFor(healthy.prompt, healthy.options, later));
    later->waitEnd();
    compareToExpected(*later, healthy.expected);
  }

  void badRequests_throwUsageError() {
    auto model = LanguageModel::randomInit(tinyConfig(), 23);
    DecodeEngine engine(model, {.maxContextTokens = 50});
    auto outcome = std::make_shared<Outcome>();
    auto expectRejected = [&](std::vector<int32_t> prompt, GenerationOptions options,
                              const std::string& fragment) {
      try {
        engine.submit(requestFor(std::move(prompt), std::move(options), outcome));
        QFAIL(("accepted a request that should fail with: " + fragment).c_str());
      } catch (const astro::UsageError& error) {
        QVERIFY2(std::string(error.what()).find(fragment) != std::string::npos, error.what());
      }
    };
    GenerationOptions good{.maxNewTokens = 10, .rowSeeds = {1}};
    expectRejected({}, good, "no tokens");
    expectRejected({1, -1}, good, "prompt token 1 is -1");
    expectRejected({1400}, good, "outside the vocabulary");
    expectRejected({1, 2}, GenerationOptions{.maxNewTokens = 10}, "exactly one row seed");
    expectRejected({1, 2}, GenerationOptions{.maxNewTokens = 10, .rowSeeds = {1, 2}}, "not 2");
    expectRejected(counting(1, 45), good, "exceeds the context of 50");
    GenerationOptions bad = good;
    bad.stopStrings = {"x"};
    expectRejected({1}, bad, "decode function");
    expectRejected({1}, {.maxNewTokens = 0, .rowSeeds = {1}}, "at least 1");
    expectRejected({1}, {.temperature = -1, .rowSeeds = {1}}, "temperature");
    expectRejected({1}, {.topP = 0, .rowSeeds = {1}}, "top-p");
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, DecodeEngine(model, {.maxBatchRows = 0}));
    QCOMPARE(int(outcome->callbacks), 0);
  }

  void destructor_endsQueuedAndLiveRequestsWithAnError() {
    auto model = LanguageModel::randomInit(tinyConfig(), 29);
    std::vector<std::shared_ptr<Outcome>> outcomes;
    {
      DecodeEngine engine(model, {.maxBatchRows = 2});
      for (int i = 0; i < 3; ++i) {
        outcomes.push_back(std::make_shared<Outcome>());
        GenerationOptions options = sampled(uint64_t(i), 900);
        options.stopAtEos = false;
        engine.submit(requestFor(counting(i, 8), options, outcomes.back()));
      }
      outcomes[0]->waitTokens(3);
      QCOMPARE(engine.stats().queued, 1);
    }
    for (const auto& outcome : outcomes) {
      QVERIFY(outcome->error);
      QCOMPARE(*outcome->error, std::string("server shutting down"));
      QVERIFY(!outcome->finished);
    }
  }
};

QTEST_GUILESS_MAIN(DecodeEngineTest)
#include "decode_engine_test.moc"
