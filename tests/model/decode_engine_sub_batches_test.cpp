// DecodeEngine with several torch threads on the CPU: one sub-batch per thread, run side by side
// (decode_engine.cpp); each request still equals LanguageModel::generate alone (equality rule in
// decode_engine_fixture.h).
#include <QtTest>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
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

namespace {

// Submits 12 requests (three with one prompt) and one whose stop rule throws to an engine on two
// torch threads; each must equal generate alone on one thread, and the failing one fail alone.
// `threadsUsed`: how many threads ran the stop rules.
void runTwelveRequestsOnTwoThreads(std::size_t& threadsUsed) {
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
    // 11 prompts over two sub-batches, the three rows of one prompt together: 7 and 6 rows, each
    // stepped on its own.
    if (astro::model::detail::partsRunInParallel()) QCOMPARE(engine.stats().largestBatch, 7);
  }
  initTorchRuntime(1);
  threadsUsed = threads.count();
}

}  // namespace

class DecodeEngineSubBatchesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { initTorchRuntime(1); }

  // With two torch threads the engine runs two sub-batches side by side (decode_engine.cpp):
  // requests submitted together spread over both (the stop rules run on two threads), each still
  // equals generate alone on one thread, rows with one prompt share a sub-batch, and a request
  // whose stop rule throws fails alone.
  void subBatchesOnTwoThreads_eachRequestEqualsGenerate() {
    // Without OpenMP (detail/parallel_parts.h) the engine keeps one batch on its own thread.
    std::size_t threadsUsed = 0;
    runTwelveRequestsOnTwoThreads(threadsUsed);
    if (QTest::currentTestFailed()) return;
    QCOMPARE(threadsUsed, std::size_t(astro::model::detail::partsRunInParallel() ? 2 : 1));
  }

  // Each sub-batch steps on its own: while one row's stop rule is held up, a row of the other
  // sub-batch still draws all its tokens and finishes.
  void subBatches_stepIndependently() {
    if (!astro::model::detail::partsRunInParallel()) QSKIP("built without OpenMP: one batch");
    auto model = LanguageModel::randomInit(tinyConfig(), 23);
    std::mutex mutex;
    std::condition_variable released;
    bool release = false;
    GenerationOptions held = sampled(11, 6);
    held.stopStrings = {"never"};
    held.decode = [&](std::span<const int32_t> ids) {
      std::unique_lock lock(mutex);
      released.wait(lock, [&] { return release; });
      return decodeTagged(ids);
    };
    const Case free = caseFor(model, counting(60, 9), sampled(12, 24));
    initTorchRuntime(2);
    {
      DecodeEngine engine(model);
      auto heldOutcome = std::make_shared<Outcome>();
      auto freeOutcome = std::make_shared<Outcome>();
      std::vector<DecodeRequest> requests;
      requests.push_back(requestFor(counting(30, 7), held, heldOutcome));
      requests.push_back(requestFor(free.prompt, free.options, freeOutcome));
      // Lets the held row go on when this scope ends, also after a failed check, before the
      // engine's destructor waits for its threads.
      auto releaseHeld = [&] {
        {
          std::lock_guard lock(mutex);
          release = true;
        }
        released.notify_all();
      };
      struct AtExit {
        std::function<void()> run;
        ~AtExit() { run(); }
      } atExit{releaseHeld};
      engine.submitAll(std::move(requests));
      freeOutcome->waitEnd();
      QVERIFY(!heldOutcome->ended());
      releaseHeld();
      compareToExpected(*freeOutcome, free.expected);
      heldOutcome->waitEnd();
      QVERIFY(heldOutcome->finished);
      QCOMPARE(heldOutcome->finished->ids.size(), std::size_t(6));
    }
    initTorchRuntime(1);
  }
};

QTEST_GUILESS_MAIN(DecodeEngineSubBatchesTest)
#include "decode_engine_sub_batches_test.moc"
