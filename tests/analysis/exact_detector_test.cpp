// The exact detector parses the project's own rendered traces back: the same marker spans, the
// same backtrack targets, the same counts as the node sequence.
#include "core/analysis/exact_detector.h"

#include <QtTest>

#include "core/analysis/trace_stats.h"
#include "tests/analysis/rendered_traces.h"

using astro::analysis::CueKind;
using astro::analysis::ExactDetector;
using astro::analysis::StepRole;

namespace {
CueKind cueKindOf(astro::search::MarkerKind kind) {
  switch (kind) {
    case astro::search::MarkerKind::kReflection:
      return CueKind::kReflection;
    case astro::search::MarkerKind::kBacktrack:
      return CueKind::kBacktrack;
    case astro::search::MarkerKind::kRestart:
      return CueKind::kRestart;
    case astro::search::MarkerKind::kAnswerCheck:
      return CueKind::kAnswerCheck;
    case astro::search::MarkerKind::kFinalAnswer:
      return CueKind::kFinalAnswer;
    case astro::search::MarkerKind::kCheck:
      return CueKind::kCheck;
  }
  return CueKind::kReflection;
}
// The case's trace rendered again as renderedTraces() did, with a grounded check on every
// reflection (numbers and words, as a domain's check would state them).
astro::search::RenderedTrace groundedRendering(const astro::test::RenderedCase& rendered,
                                               std::size_t index,
                                               const astro::search::PhraseSet& phrases) {
  astro::search::RenderOptions render;
  render.seed = index;
  render.answerCheck = index % 3 == 0;
  render.groundedCheck = [](const astro::search::SearchTree& tree, int node) {
    return std::optional<std::string>("Node " + std::to_string(node) + ": 12 * 7 = 84, 84 + 5 = " +
                                      tree.node(node).answer.value_or("89") + ".");
  };
  return astro::search::renderTrace(rendered.tree, rendered.sequence, phrases, render);
}

}  // namespace

class ExactDetectorTest : public QObject {
  Q_OBJECT
 private:
  const astro::search::PhraseSet& phrases_ = astro::search::defaultPhraseSet();
  std::vector<astro::test::RenderedCase> cases_ = astro::test::renderedTraces(200, phrases_);

 private Q_SLOTS:
  void renderedTraces_giveExactlyTheRenderedMarkers() {
    ExactDetector detector(phrases_);
    int markers = 0;
    for (const auto& rendered : cases_) {
      auto graph = detector.detect(rendered.trace.text);
      QCOMPARE(graph.cues.size(), rendered.trace.markers.size());
      for (std::size_t i = 0; i < graph.cues.size(); ++i) {
        const auto& expected = rendered.trace.markers[i];
        QCOMPARE(graph.cues[i].kind, cueKindOf(expected.kind));
        QCOMPARE(graph.cues[i].begin, expected.begin);
        QCOMPARE(graph.cues[i].end, expected.end);
        ++markers;
      }
    }
    QVERIFY(markers > 600);
  }
  void renderedTraces_countTheSequencesBacktracksAndRestarts() {
    ExactDetector detector(phrases_);
    int backtracks = 0, restarts = 0;
    for (const auto& rendered : cases_) {
      auto stats = astro::analysis::analyzeTrace(detector, rendered.trace.text);
      QCOMPARE(stats.backtracks, rendered.sequence.backtracks());
      QCOMPARE(stats.restarts, rendered.sequence.restarts());
      auto reflectionMarkers = std::count_if(
          rendered.trace.markers.begin(), rendered.trace.markers.end(),
          [](const auto& m) { return m.kind == astro::search::MarkerKind::kReflection; });
      QCOMPARE(stats.reflections, static_cast<int>(reflectionMarkers));
      backtracks += stats.backtracks;
      restarts += stats.restarts;
    }
    qInfo("%d backtracks, %d restarts", backtracks, restarts);
    QVERIFY(backtracks > 100);
    QVERIFY(restarts > 10);
  }
  void backtracks_returnToTheRenderedTargetStep() {
    ExactDetector detector(phrases_);
    for (const auto& rendered : cases_) {
      auto graph = detector.detect(rendered.trace.text);
      for (const auto& marker : rendered.trace.markers) {
        if (marker.kind != astro::search::MarkerKind::kBacktrack) continue;
        // The rendered target: the last step of that node before the marker.
        const astro::search::StepSpan* target = nullptr;
        for (const auto& span : rendered.trace.steps) {
          if (span.node == *marker.targetNode && span.end < marker.begin) target = &span;
        }
        QVERIFY(target);
        const auto& cue = *std::find_if(graph.cues.begin(), graph.cues.end(),
                                        [&](const auto& c) { return c.begin == marker.begin; });
        int returnsTo = graph.steps[static_cast<std::size_t>(cue.step)].returnsTo;
        QVERIFY(returnsTo >= 0);
        QCOMPARE(graph.steps[static_cast<std::size_t>(returnsTo)].begin, target->begin);
        QCOMPARE(graph.steps[static_cast<std::size_t>(returnsTo)].end, target->end);
      }
    }
  }
  void ordinarySteps_haveTheRenderedSpans() {
    ExactDetector detector(phrases_);
    for (const auto& rendered : cases_) {
      auto graph = detector.detect(rendered.trace.text);
      std::size_t k = 0;
      for (const auto& step : graph.steps) {
        bool finalAnswer = std::any_of(graph.cues.begin(), graph.cues.end(), [&](const auto& c) {
          return c.kind == CueKind::kFinalAnswer && c.begin == step.begin;
        });
        if (step.role != StepRole::kStep || finalAnswer) continue;
        QVERIFY(k < rendered.trace.steps.size());
        QCOMPARE(step.begin, rendered.trace.steps[k].begin);
        QCOMPARE(step.end, rendered.trace.steps[k].end);
        ++k;
      }
      QCOMPARE(k, rendered.trace.steps.size());
    }
  }
  void groundedTraces_giveThePlainTracesStepGraph() {
    ExactDetector detector(phrases_);
    int checks = 0, backtracks = 0;
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      const auto& rendered = cases_[i];
      const auto grounded = groundedRendering(rendered, i, phrases_);
      QVERIFY(grounded.text != rendered.trace.text);
      const auto plainGraph = detector.detect(rendered.trace.text);
      const auto groundedGraph = detector.detect(grounded.text);
      QCOMPARE(groundedGraph.steps.size(), plainGraph.steps.size());
      for (std::size_t k = 0; k < plainGraph.steps.size(); ++k) {
        QCOMPARE(groundedGraph.steps[k].role, plainGraph.steps[k].role);
        QCOMPARE(groundedGraph.steps[k].reflects, plainGraph.steps[k].reflects);
        QCOMPARE(groundedGraph.steps[k].returnsTo, plainGraph.steps[k].returnsTo);
      }
      QCOMPARE(groundedGraph.edges, plainGraph.edges);
      QCOMPARE(groundedGraph.backtracks(), rendered.sequence.backtracks());
      QCOMPARE(groundedGraph.restarts(), rendered.sequence.restarts());
      // Every marker, the checks included, comes back with its exact span.
      QCOMPARE(groundedGraph.cues.size(), grounded.markers.size());
      for (std::size_t k = 0; k < grounded.markers.size(); ++k) {
        QCOMPARE(groundedGraph.cues[k].kind, cueKindOf(grounded.markers[k].kind));
        QCOMPARE(groundedGraph.cues[k].begin, grounded.markers[k].begin);
        QCOMPARE(groundedGraph.cues[k].end, grounded.markers[k].end);
        checks += grounded.markers[k].kind == astro::search::MarkerKind::kCheck;
      }
      backtracks += groundedGraph.backtracks();
    }
    QVERIFY(checks > 200);
    QVERIFY(backtracks > 100);
  }
  void reflectionWithTextButNoVerdict_staysAPlainReflection() {
    const std::string trace = "A\n\n" + phrases_.reflections[0] + " 12 * 7 = 84.";
    auto graph = ExactDetector(phrases_).detect(trace);
    QCOMPARE(graph.steps.size(), std::size_t(2));
    QCOMPARE(graph.steps[1].role, StepRole::kReflection);
    QCOMPARE(graph.cues.size(), std::size_t(1));
    QCOMPARE(graph.cues[0].kind, CueKind::kReflection);
  }
  void handWrittenTrace_givesTheDocumentedEdges() {
    const std::string reflection = phrases_.reflections[0];
    std::string trace = "A\n\nB\n\nC\n\n" + reflection + " " +
                        astro::search::fillTemplate(phrases_.backtracks[0], "{step}", "A") +
                        "\n\nD\n\n" + reflection + " " + phrases_.restarts[0] + "\n\nE";
    auto graph = ExactDetector(phrases_).detect(trace);
    using astro::analysis::EdgeKind;
    using Edge = astro::analysis::StepEdge;
    QCOMPARE(graph.steps.size(), std::size_t(7));
    QCOMPARE(graph.steps[3].returnsTo, 0);
    QCOMPARE(graph.edges, (std::vector<Edge>{{0, 1, EdgeKind::kContinues},
                                             {1, 2, EdgeKind::kContinues},
                                             {2, 3, EdgeKind::kReflects},
                                             {3, 0, EdgeKind::kBacktracks},
                                             {0, 4, EdgeKind::kContinues},
                                             {4, 5, EdgeKind::kReflects},
                                             {5, 6, EdgeKind::kRestarts}}));
  }
};

QTEST_APPLESS_MAIN(ExactDetectorTest)
#include "exact_detector_test.moc"
