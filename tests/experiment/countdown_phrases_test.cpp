// The compact countdown phrase set: valid, and the exact detector finds in traces rendered with
// it exactly the backtracks and restarts the renderer wrote.
#include <QtTest>

#include <filesystem>

#include "core/analysis/exact_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/domain/countdown_phrases.h"
#include "tests/analysis/rendered_traces.h"

using namespace astro;

class CountdownPhrasesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void phrases_areValidAndShort() {
    const auto& phrases = domain::countdownPhraseSet();
    search::validatePhraseSet(phrases, "test");
    QCOMPARE(phrases.id, std::string("countdown-compact-v1"));
    for (const auto& list : {phrases.reflections, phrases.restarts, phrases.answerChecks}) {
      for (const auto& phrase : list) QVERIFY(phrase.size() <= 20);
    }
  }
  void exactDetector_countsWhatTheRendererWrote() {
    analysis::ExactDetector detector(domain::countdownPhraseSet());
    int backtracks = 0, restarts = 0;
    for (const auto& rendered : test::renderedTraces(40, domain::countdownPhraseSet())) {
      int expectedBacktracks = 0, expectedRestarts = 0;
      for (const auto& marker : rendered.trace.markers) {
        expectedBacktracks += marker.kind == search::MarkerKind::kBacktrack;
        expectedRestarts += marker.kind == search::MarkerKind::kRestart;
      }
      auto stats = analysis::analyzeTrace(detector, rendered.trace.text);
      QCOMPARE(stats.backtracks, expectedBacktracks);
      QCOMPARE(stats.restarts, expectedRestarts);
      backtracks += expectedBacktracks;
      restarts += expectedRestarts;
    }
    QVERIFY(backtracks > 0 && restarts > 0);  // both kinds were exercised
  }
  // The pipeline presets name resources/phrases/countdown_compact.json; the experiment uses the
  // built-in copy. They must not drift apart.
  void builtIn_equalsTheResourceFile() {
    const auto file =
        std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/phrases/countdown_compact.json";
    QCOMPARE(search::loadPhraseSet(file).toJson().dump(),
             domain::countdownPhraseSet().toJson().dump());
  }
};

QTEST_GUILESS_MAIN(CountdownPhrasesTest)
#include "countdown_phrases_test.moc"
