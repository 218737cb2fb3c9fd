// Rendering node sequences to chain-of-thought: exact text on the hand-made tree, exact marker
// spans, and parsing the text back (without the spans) to the same sequence and spans.
#include "core/search/render_trace.h"

#include <QtTest>
#include <set>

#include "core/base/error.h"
#include "core/search/sft_export.h"
#include "tests/search/search_fixtures.h"
#include "tests/search/trace_parser.h"

using namespace astro::search;
using astro::search::test::applesTree;
using astro::search::test::parseTrace;
using astro::search::test::singlePhraseSet;

namespace {

constexpr Move S = Move::kStart, F = Move::kForward, B = Move::kBacktrack, R = Move::kRestart;

const NodeSequence kTwoDetours{{{0, S}, {1, F}, {3, F}, {0, R}, {2, F}, {4, F}, {2, B}, {5, F}}};

const std::string kReflection = "But wait, are we solving the problem correctly so far? Hmm...";

// A grounded check for the apples tree: what each answer gives when doubled.
std::optional<std::string> applesCheck(const SearchTree&, int node) {
  switch (node) {
    case 3:
      return "12 * 2 = 24, not 10.";
    case 4:
      return "8 * 2 = 16, not 10.";
    case 5:
      return "5 * 2 = 10.";
    default:
      return std::nullopt;
  }
}

// The message of the astro::Error rendering `check` for every reflected node throws, or "".
std::string groundedCheckError(const std::string& check) {
  try {
    renderTrace(applesTree(), kTwoDetours, singlePhraseSet(),
                {.groundedCheck = [&](const SearchTree&, int) { return check; }});
  } catch (const astro::Error& error) {
    return error.what();
  }
  return {};
}

}  // namespace

class RenderTraceTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void twoDetours_renderToTheExactText() {
    const RenderedTrace trace = renderTrace(applesTree(), kTwoDetours, singlePhraseSet());
    const std::string expected =
        "Twice the number is 10, so we add: $10 + 2 = 12$.\n\n"
        "So Alice has $\\boxed{12}$ apples.\n\n" +
        kReflection +
        " Let's start over.\n\n"
        "Let $x$ be the number of apples, so $2x = 10$.\n\n"
        "Subtracting 2 from both sides gives $x = 8$, so the answer is $\\boxed{8}$.\n\n" +
        kReflection +
        " Let's go back to \"Let $x$ be the number of apples, so $2x = 10$.\".\n\n"
        "Dividing both sides by 2 gives $x = 5$, so the answer is $\\boxed{5}$.\n\n" +
        kReflection + " The answer checks out.";
    QCOMPARE(trace.text, expected);
  }
  void twoDetours_markerSpansAreExact() {
    const RenderedTrace trace = renderTrace(applesTree(), kTwoDetours, singlePhraseSet());
    const std::string& text = trace.text;
    const std::size_t firstReflection = text.find(kReflection);
    const std::size_t restart = text.find("Let's start over.");
    const std::size_t secondReflection = text.find(kReflection, restart);
    const std::size_t backtrack = text.find("Let's go back to");
    const std::size_t check = text.find("The answer checks out.");
    const std::string backtrackText =
        "Let's go back to \"Let $x$ be the number of apples, so $2x = 10$.\".";
    const std::vector<MarkerSpan> expected{
        {MarkerKind::kReflection, firstReflection, firstReflection + kReflection.size(), 0, {}, {}},
        {MarkerKind::kRestart, restart, restart + 17, 0, 0, {}},
        {MarkerKind::kReflection,
         secondReflection,
         secondReflection + kReflection.size(),
         0,
         {},
         {}},
        {MarkerKind::kBacktrack, backtrack, backtrack + backtrackText.size(), 0, 2,
         "Let $x$ be the number of apples, so $2x = 10$."},
        {MarkerKind::kReflection, check - 1 - kReflection.size(), check - 1, 0, {}, {}},
        {MarkerKind::kAnswerCheck, check, text.size(), 0, 5, {}}};
    QVERIFY(trace.markers == expected);
    QCOMPARE(trace.steps.size(), std::size_t(5));
    QCOMPARE(trace.steps.front(), (StepSpan{1, 0, 49}));
    QCOMPARE(
        text.substr(trace.steps.back().begin, trace.steps.back().end - trace.steps.back().begin),
        applesTree().node(5).text);
  }
  void direct_withoutAnswerCheck_hasNoMarkers() {
    const RenderedTrace trace = renderTrace(applesTree(), directSequence(applesTree()),
                                            singlePhraseSet(), {.answerCheck = false});
    QCOMPARE(trace.text, applesTree().node(2).text + "\n\n" + applesTree().node(5).text);
    QVERIFY(trace.markers.empty());
  }
  void finalAnswer_isBoxedWhenTheLastStepHasNoBox() {
    SearchTree tree = applesTree();
    tree.node(5).text = "Dividing by 2 gives x = 5.";
    const RenderedTrace trace =
        renderTrace(tree, directSequence(tree), singlePhraseSet(), {.answerCheck = false});
    QVERIFY(trace.text.ends_with("x = 5.\n\nThe answer is \\boxed{5}."));
    QCOMPARE(trace.markers.size(), std::size_t(1));
    QCOMPARE(trace.markers[0].kind, MarkerKind::kFinalAnswer);
    QCOMPARE(trace.markers[0].targetQuote, std::string("5"));
    QCOMPARE(trace.markers[0].end, trace.text.size());
  }
  void answerCheck_reflectsAfterTheFinalStepByDefault() {
    const RenderedTrace trace =
        renderTrace(applesTree(), directSequence(applesTree()), singlePhraseSet());
    QVERIFY(trace.text.ends_with("$\\boxed{5}$.\n\n" + kReflection + " The answer checks out."));
    QCOMPARE(trace.markers.size(), std::size_t(2));
    QCOMPARE(trace.markers[1].kind, MarkerKind::kAnswerCheck);
    QCOMPARE(trace.markers[1].targetNode, std::optional<int>(5));
  }
  void affirmations_followHighQIntermediateSteps() {
    RenderOptions options{.answerCheck = false, .affirmStepsWithQAtLeast = 0.4};
    const RenderedTrace trace = renderTrace(applesTree(), kTwoDetours, singlePhraseSet(), options);
    // Node 2 has q 3/7 >= 0.4 and leads on to node 4; node 1 (q -1) gets nothing.
    const std::string affirmed = applesTree().node(2).text + "\n\n" + kReflection +
                                 " The answer checks out.\n\n" + applesTree().node(4).text;
    QVERIFY2(trace.text.find(affirmed) != std::string::npos, trace.text.c_str());
    QCOMPARE(std::count_if(trace.markers.begin(), trace.markers.end(),
                           [](const MarkerSpan& m) { return m.kind == MarkerKind::kAnswerCheck; }),
             1L);
    const auto parsed = parseTrace(applesTree(), singlePhraseSet(), trace.text);
    QVERIFY(parsed && parsed->markers == trace.markers);
  }
  void quoteStep_collapsesWhitespaceIntoOneParagraph() {
    QCOMPARE(quoteStep("  First line\n\nsecond\tline  "), std::string("First line second line"));
    QCOMPARE(quoteStep(""), std::string());
  }
  void defaultPhrases_drawDifferentPhrasesBySeed() {
    std::set<std::string> texts;
    for (std::uint64_t seed = 0; seed < 16; ++seed) {
      texts.insert(renderTrace(applesTree(), kTwoDetours, defaultPhraseSet(), {.seed = seed}).text);
    }
    QVERIFY(texts.size() > 1);
    for (const std::string& text : texts) QVERIFY(text.starts_with(applesTree().node(1).text));
  }
  void markers_parseBackExactlyWithoutSpans() {
    for (std::uint64_t seed = 0; seed < 32; ++seed) {
      for (bool check : {false, true}) {
        const RenderedTrace trace =
            renderTrace(applesTree(), kTwoDetours, defaultPhraseSet(),
                        {.seed = seed, .answerCheck = check, .affirmStepsWithQAtLeast = 0.0});
        const auto parsed = parseTrace(applesTree(), defaultPhraseSet(), trace.text);
        QVERIFY2(parsed, trace.text.c_str());
        QVERIFY(parsed->sequence == kTwoDetours);
        QVERIFY(parsed->markers == trace.markers);
        QVERIFY(parsed->steps == trace.steps);
      }
    }
  }
  void spans_holdExactlyTheirPhrases() {
    const PhraseSet& phrases = defaultPhraseSet();
    const RenderedTrace trace =
        renderTrace(applesTree(), kTwoDetours, phrases, {.seed = 7, .answerCheck = false});
    for (const MarkerSpan& marker : trace.markers) {
      const std::string inText = trace.text.substr(marker.begin, marker.end - marker.begin);
      switch (marker.kind) {
        case MarkerKind::kReflection:
          QCOMPARE(inText, phrases.reflections.at(marker.phraseIndex));
          break;
        case MarkerKind::kRestart:
          QCOMPARE(inText, phrases.restarts.at(marker.phraseIndex));
          break;
        case MarkerKind::kBacktrack:
          QCOMPARE(inText, fillTemplate(phrases.backtracks.at(marker.phraseIndex), "{step}",
                                        quoteStep(applesTree().node(*marker.targetNode).text)));
          break;
        default:
          QFAIL("unexpected marker kind");
      }
    }
  }
  void groundedCheck_standsBetweenReflectionAndVerdict() {
    const RenderedTrace trace =
        renderTrace(applesTree(), kTwoDetours, singlePhraseSet(), {.groundedCheck = applesCheck});
    const SearchTree tree = applesTree();
    const std::string expected =
        tree.node(1).text + "\n\n" + tree.node(3).text + "\n\n" + kReflection +
        " 12 * 2 = 24, not 10. Let's start over.\n\n" + tree.node(2).text + "\n\n" +
        tree.node(4).text + "\n\n" + kReflection +
        " 8 * 2 = 16, not 10. Let's go back to \"Let $x$ be the number of apples, so $2x = "
        "10$.\".\n\n" +
        tree.node(5).text + "\n\n" + kReflection + " 5 * 2 = 10. The answer checks out.";
    QCOMPARE(trace.text, expected);
  }
  void groundedCheck_markerSpansAreExact() {
    const RenderedTrace trace =
        renderTrace(applesTree(), kTwoDetours, singlePhraseSet(), {.groundedCheck = applesCheck});
    const std::string& text = trace.text;
    std::vector<MarkerKind> kinds;
    for (const MarkerSpan& marker : trace.markers) kinds.push_back(marker.kind);
    const std::vector<MarkerKind> expectedKinds{
        MarkerKind::kReflection, MarkerKind::kCheck, MarkerKind::kRestart,
        MarkerKind::kReflection, MarkerKind::kCheck, MarkerKind::kBacktrack,
        MarkerKind::kReflection, MarkerKind::kCheck, MarkerKind::kAnswerCheck};
    QVERIFY(kinds == expectedKinds);
    const std::size_t first = text.find("12 * 2 = 24, not 10.");
    const std::size_t second = text.find("8 * 2 = 16, not 10.");
    const std::size_t third = text.find("5 * 2 = 10.");
    QCOMPARE(trace.markers[1], (MarkerSpan{MarkerKind::kCheck, first, first + 20, 0, 3, {}}));
    QCOMPARE(trace.markers[4], (MarkerSpan{MarkerKind::kCheck, second, second + 19, 0, 4, {}}));
    QCOMPARE(trace.markers[7], (MarkerSpan{MarkerKind::kCheck, third, third + 11, 0, 5, {}}));
    // The reflection ends one joiner before its check; the verdict starts one joiner after it.
    QCOMPARE(trace.markers[0].end + 1, first);
    QCOMPARE(trace.markers[2].begin, first + 21);
    QCOMPARE(trace.markers[8].begin, third + 12);
    QCOMPARE(trace.markers[8].end, text.size());
    const auto json = renderedTraceToJson(trace);
    QCOMPARE(json["markers"][4]["kind"].get<std::string>(), std::string("check"));
    QCOMPARE(json["markers"][4]["target_node"].get<int>(), 4);
  }
  void groundedCheck_markersParseBackExactlyWithoutSpans() {
    // Node 2 is affirmed (q 3/7) and has no check of its own: that reflection stays plain.
    for (std::uint64_t seed = 0; seed < 32; ++seed) {
      const RenderedTrace trace =
          renderTrace(applesTree(), kTwoDetours, defaultPhraseSet(),
                      {.seed = seed, .affirmStepsWithQAtLeast = 0.0, .groundedCheck = applesCheck});
      const auto parsed = parseTrace(applesTree(), defaultPhraseSet(), trace.text, applesCheck);
      QVERIFY2(parsed, trace.text.c_str());
      QVERIFY(parsed->sequence == kTwoDetours);
      QVERIFY(parsed->markers == trace.markers);
      QVERIFY(parsed->steps == trace.steps);
    }
  }
  void groundedCheck_drawsTheSamePhrasesAsWithout() {
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
      const RenderedTrace plain =
          renderTrace(applesTree(), kTwoDetours, defaultPhraseSet(), {.seed = seed});
      const RenderedTrace grounded = renderTrace(applesTree(), kTwoDetours, defaultPhraseSet(),
                                                 {.seed = seed, .groundedCheck = applesCheck});
      std::vector<MarkerSpan> withoutChecks;
      for (const MarkerSpan& marker : grounded.markers) {
        if (marker.kind != MarkerKind::kCheck) withoutChecks.push_back(marker);
      }
      QCOMPARE(withoutChecks.size(), plain.markers.size());
      for (std::size_t i = 0; i < plain.markers.size(); ++i) {
        QCOMPARE(withoutChecks[i].kind, plain.markers[i].kind);
        QCOMPARE(withoutChecks[i].phraseIndex, plain.markers[i].phraseIndex);
      }
    }
  }
  void groundedCheck_nulloptLeavesThePapersReflection() {
    const RenderedTrace plain = renderTrace(applesTree(), kTwoDetours, singlePhraseSet());
    const RenderedTrace none = renderTrace(
        applesTree(), kTwoDetours, singlePhraseSet(),
        {.groundedCheck = [](const SearchTree&, int) { return std::optional<std::string>(); }});
    QCOMPARE(none.text, plain.text);
    QVERIFY(none.markers == plain.markers);
  }
  void groundedCheck_isTrainedUnderTheWrongBranchMask() {
    const RenderedTrace trace =
        renderTrace(applesTree(), kTwoDetours, singlePhraseSet(), {.groundedCheck = applesCheck});
    const std::vector<ByteRange> masked = wrongBranchRanges(applesTree(), kTwoDetours, trace);
    QCOMPARE(masked.size(), std::size_t(3));  // nodes 1, 3 and 4: off the path to node 5
    for (const MarkerSpan& marker : trace.markers) {
      for (const ByteRange& range : masked) {
        QVERIFY(marker.end <= range.begin || range.end <= marker.begin);
      }
    }
  }
  void groundedCheck_unfitTextIsRefusedNamingTheNode() {
    const std::string delimiter = groundedCheckError("12 * 2 = 24.\n\nNot 10.");
    QVERIFY2(delimiter.find("node 3") != std::string::npos, delimiter.c_str());
    QVERIFY2(delimiter.find("step delimiter") != std::string::npos, delimiter.c_str());
    QVERIFY(groundedCheckError("").find("is empty") != std::string::npos);
    QVERIFY(groundedCheckError("So: Let's start over.").find("restart") != std::string::npos);
    QVERIFY(groundedCheckError("It checks. The answer checks out.").find("answer-check") !=
            std::string::npos);
    QVERIFY(groundedCheckError("Let's go back to \"x\"").find("backtrack") != std::string::npos);
    QCOMPARE(groundedCheckError("12 * 2 = 24, not 10."), std::string());
  }
  void invalidSequence_isRejected() {
    const NodeSequence broken{{{0, S}, {2, F}, {4, F}, {1, B}, {3, F}}};
    QVERIFY_THROWS_EXCEPTION(astro::Error, renderTrace(applesTree(), broken, singlePhraseSet()));
  }
  void toJson_listsStepsAndMarkersWithNames() {
    const RenderedTrace trace = renderTrace(applesTree(), kTwoDetours, singlePhraseSet());
    const auto json = renderedTraceToJson(trace);
    QCOMPARE(json["markers"][5]["kind"].get<std::string>(), std::string("answer_check"));
    QCOMPARE(json["markers"][1]["kind"].get<std::string>(), std::string("restart"));
    QCOMPARE(json["markers"][3]["target_node"].get<int>(), 2);
    QCOMPARE(json["steps"][0].dump(), std::string(R"({"node":1,"begin":0,"end":49})"));
    QCOMPARE(json["text"].get<std::string>(), trace.text);
  }
};

QTEST_GUILESS_MAIN(RenderTraceTest)
#include "render_trace_test.moc"
