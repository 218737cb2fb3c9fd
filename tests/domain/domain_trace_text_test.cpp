// A domain's step delimiter and phrase set (Domain::stepDelimiter, Domain::phraseSet): the
// built-in domains' values, and a domain whose steps are single lines read back exactly by the
// detector built for it, while a detector built for another delimiter misses every backtrack.
#include <QtTest>

#include "core/analysis/exact_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/base/error.h"
#include "core/domain/countdown_domain.h"
#include "core/domain/domain_registry.h"
#include "core/domain/math_domain.h"
#include "core/math/math_verifier.h"
#include "core/world/reference_solution.h"
#include "tests/analysis/rendered_traces.h"

using namespace astro;

namespace {

search::PhraseSet linePhrases() {
  search::PhraseSet phrases;
  phrases.id = "lines-v1";
  phrases.reflections = {"Check:"};
  phrases.backtracks = {"wrong, back to \"{step}\"."};
  phrases.restarts = {"wrong, from the top."};
  phrases.answerChecks = {"fine."};
  phrases.finalAnswers = {"Answer: \\boxed{{answer}}"};
  return phrases;
}

// Steps one per line, with its own phrases: what a plugin's step_delimiter and phrase_set_json
// give (core/plugin/c_domain.h).
class LineDomain : public domain::Domain {
 public:
  std::string_view name() const override { return "lines"; }
  std::string_view description() const override { return "steps one per line"; }
  bool claims(const math::Problem&) const override { return true; }
  std::unique_ptr<math::Verifier> makeVerifier() const override {
    return std::make_unique<math::MathVerifier>();
  }
  std::string_view stepDelimiter() const override { return "\n"; }
  const search::PhraseSet& phraseSet() const override { return phrases_; }

 private:
  search::PhraseSet phrases_ = linePhrases();
};

int markersOf(const search::RenderedTrace& trace, search::MarkerKind kind) {
  int count = 0;
  for (const auto& marker : trace.markers) count += marker.kind == kind;
  return count;
}

}  // namespace

class DomainTraceTextTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void builtIns_mathHasTheDefaults_countdownItsCompactSet() {
    const auto& registry = domain::domainRegistry();
    const domain::Domain& math = registry.find(domain::MathDomain::kName);
    QCOMPARE(std::string(math.stepDelimiter()), std::string("\n\n"));
    QCOMPARE(math.phraseSet().id, std::string("astro-default-v1"));
    const domain::Domain& countdown = registry.find(domain::CountdownDomain::kName);
    QCOMPARE(std::string(countdown.stepDelimiter()), std::string(world::kStepSeparator));
    QCOMPARE(countdown.phraseSet().id, std::string("countdown-compact-v1"));
  }

  void forDomain_readsTheDomainsTraces_exactly() {
    const LineDomain lines;
    const auto detector = analysis::ExactDetector::forDomain(lines);
    QCOMPARE(detector->name(), std::string("exact:lines-v1"));
    int backtracks = 0;
    for (const auto& rendered : test::renderedTraces(30, lines.phraseSet(), "\n")) {
      QVERIFY(rendered.trace.text.find("\n\n") == std::string::npos);
      const auto stats = analysis::analyzeTrace(*detector, rendered.trace.text);
      QCOMPARE(stats.backtracks, markersOf(rendered.trace, search::MarkerKind::kBacktrack));
      QCOMPARE(stats.restarts, markersOf(rendered.trace, search::MarkerKind::kRestart));
      backtracks += stats.backtracks;
    }
    QVERIFY(backtracks > 0);
  }

  // The failure the member prevents: the same traces read with blank-line steps are one step.
  void aDetectorForAnotherDelimiter_findsNoBacktrack() {
    const LineDomain lines;
    const analysis::ExactDetector paragraphs(lines.phraseSet(), "\n\n");
    for (const auto& rendered : test::renderedTraces(10, lines.phraseSet(), "\n")) {
      QCOMPARE(analysis::analyzeTrace(paragraphs, rendered.trace.text).backtracks, 0);
    }
  }

  void aPhraseHoldingTheDelimiter_isRefused_namingIt() {
    search::PhraseSet phrases = linePhrases();
    phrases.restarts = {"wrong.\nFrom the top."};
    try {
      analysis::ExactDetector detector(phrases, "\n");
      QFAIL("accepted a restart phrase that holds the step delimiter");
    } catch (const Error& error) {
      QCOMPARE(std::string(error.what()),
               std::string("phrase set 'lines-v1': restarts[0]: contains the step delimiter "
                           "\"\\n\", which separates steps"));
    }
    const auto tree = test::treeWithDetours(7);
    QVERIFY_THROWS_EXCEPTION(Error, search::renderTrace(tree, search::directSequence(tree),
                                                        phrases, {.stepDelimiter = "\n"}));
  }
};

QTEST_GUILESS_MAIN(DomainTraceTextTest)
#include "domain_trace_text_test.moc"
