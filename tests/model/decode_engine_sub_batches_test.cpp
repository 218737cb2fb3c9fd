// DecodeEngine with several torch threads on the CPU: one sub-batch per thread, run side by side
// (decode_engine.cpp); each request still equals LanguageModel::generate alone (equality rule in
// decode_engine_fixture.h).
#include <QtTest>
#include <memory>
#include <stdexcept>
#include <vector>

#include "core/model/decode_engine.h"
#include "core/model/detail/parallel_parts.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"
#include "tests/model/calling_threads.h"
#include "tests/model/decode_engine_fixture.h"

using namespace astro::model;
using namespace astro::test::engine;

class DecodeEngineSubBatchesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { initTorchRuntime(1); }

  // With two torch threads the engine runs two sub-batches side by side (decode_engine.cpp):
  // requests submitted together spread over both (the stop rules run on two threads), each still
  // equals generate alone on one thread, rows with one prompt share a sub-batch, and a request
  // whose stop rule throws fails alone.
  void subBatchesOnTwoThreads_eachRequestEqualsGenerate() {
    auto model = LanguageModel::randomInit(tinyConfig(), 19);
    astro::test::CallingThreads threads;
    auto decode = threads.record(decodeTagged);
    std::vector<Case> cases;
    for (int i = 0; i < 12; ++i) {
      GenerationOptions options = sampled(300 + uint64_t(i), 8 + (i * 5) % 20);
      options.stopStrings = {"<13"};
      options.decode = decode;
      // Requests 10 and 11 repeat request 9's prompt with their own seeds.
      cases.push_back(caseFor(model, counting(i < 10 ? 40 + i : 49, 2 + (i * 11) % 30), options));
    }
    GenerationOptions failing = sampled(7, 10);
    failing.stopStrings = {"x"};
    failing.decode = [](std::span<const int32_t>) -> std::string {
      throw std::runtime_error("no text");
    };
    initTorchRuntime(2);
    threads.clear();
    {
      DecodeEngine engine(model);
      std::vector<std::shared_ptr<Outcome>> outcomes;
      std::vector<DecodeRequest> requests;
      for (const Case& one : cases) {
        outcomes.push_back(std::make_shared<Outcome>());
        requests.push_back(requestFor(one.prompt, one.options, outcomes.back()));
      }
      auto failed = std::make_shared<Outcome>();
      requests.push_back(requestFor(counting(3, 5), failing, failed));
      engine.submitAll(std::move(requests));
      for (std::size_t i = 0; i < cases.size(); ++i) {
        outcomes[i]->waitEnd();
        compareToExpected(*outcomes[i], cases[i].expected);
      }
      failed->waitEnd();
      QVERIFY(failed->error && failed->error->find("no text") != std::string::npos);
      QCOMPARE(engine.stats().largestBatch, 13);
    }
    initTorchRuntime(1);
    // Without OpenMP (detail/parallel_parts.h) the engine keeps one batch on its own thread.
    QCOMPARE(threads.count(), std::size_t(astro::model::detail::partsRunInParallel() ? 2 : 1));
  }
};

QTEST_GUILESS_MAIN(DecodeEngineSubBatchesTest)
#include "decode_engine_sub_batches_test.moc"
