// Properties of procedure cloning on thousands of seeded random trees: every sequence is a valid
// walk that ends at a correct terminal, returns only to ancestors, never repeats a wrong answer,
// keeps its detour count within the options; and every rendering parses back exactly.
#include <QtTest>
#include <set>

#include "core/base/error.h"
#include "core/search/render_trace.h"
#include "tests/search/search_fixtures.h"
#include "tests/search/trace_parser.h"

using namespace astro::search;
using astro::search::test::parseTrace;
using astro::search::test::randomTree;

namespace {

constexpr int kTrees = 3000;

// Options varied per tree so every branch of the linearizer is exercised.
LinearizeOptions optionsFor(SeededRandom& random) {
  LinearizeOptions options;
  options.minIncorrectTerminals = static_cast<int>(random.below(3));
  options.maxIncorrectTerminals = options.minIncorrectTerminals + static_cast<int>(random.below(4));
  options.restartProbability = random.below(3) == 0 ? random.unit() : 0.0;
  options.returnTarget =
      random.below(2) == 0 ? ReturnTarget::kBranchPoint : ReturnTarget::kRandomSharedAncestor;
  options.detourOrder = random.below(2) == 0 ? DetourOrder::kTreeOrder : DetourOrder::kSampled;
  options.sequencesPerTree = 1 + static_cast<int>(random.below(4));
  options.topCorrectTerminals = 1 + static_cast<int>(random.below(2));
  options.seed = random.next();
  return options;
}

// Distinct wrong answers available as detours, written independently of the linearizer.
int distinctWrongAnswersBesides(const SearchTree& tree, int finalNode) {
  std::set<std::string> answers;
  for (const TreeNode& node : tree.nodes()) {
    bool clean = true;
    for (int ancestor : tree.ancestors(node.id)) clean = clean && !tree.node(ancestor).terminal;
    if (!clean || !node.terminal || node.correct.value_or(false)) continue;
    const std::string key = node.answer ? "=" + *node.answer : "(none)";
    if (tree.node(finalNode).answer && key == "=" + *tree.node(finalNode).answer) continue;
    answers.insert(key);
  }
  return static_cast<int>(answers.size());
}

// The invariants, checked step by step here rather than through findSequenceViolation.
void checkSequence(const SearchTree& tree, const NodeSequence& sequence,
                   const LinearizeOptions& options) {
  const auto& steps = sequence.steps;
  QVERIFY(!steps.empty());
  QCOMPARE(steps[0], (SequenceStep{0, Move::kStart}));
  std::set<std::string> wrongAnswers;
  int detours = 0;
  for (std::size_t i = 1; i < steps.size(); ++i) {
    const TreeNode& from = tree.node(steps[i - 1].node);
    const TreeNode& to = tree.node(steps[i].node);
    switch (steps[i].move) {
      case Move::kForward:
        QVERIFY(!from.terminal);
        QCOMPARE(to.parent, std::optional<int>(from.id));
        break;
      case Move::kBacktrack:
      case Move::kRestart: {
        QVERIFY(from.terminal && !from.correct.value_or(false));
        const auto ancestors = tree.ancestors(from.id);
        QVERIFY(std::find(ancestors.begin(), ancestors.end(), to.id) != ancestors.end());
        QCOMPARE(to.id == 0, steps[i].move == Move::kRestart);
        QVERIFY(wrongAnswers.insert(from.answer ? "=" + *from.answer : "(none)").second);
        ++detours;
        break;
      }
      case Move::kStart:
        QFAIL("a second start");
    }
  }
  const TreeNode& last = tree.node(steps.back().node);
  QVERIFY(last.terminal && last.correct == std::optional<bool>(true));
  QVERIFY(detours <= options.maxIncorrectTerminals);
  QVERIFY(detours >=
          std::min(options.minIncorrectTerminals, distinctWrongAnswersBesides(tree, last.id)));
  QVERIFY(!findSequenceViolation(tree, sequence, &options));
}

}  // namespace

class LinearizePropertyTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void randomTrees_sequencesKeepEveryInvariant() {
    SeededRandom random(20250701);
    int linearized = 0, withoutCorrect = 0, sequences = 0, backtracks = 0, restarts = 0;
    for (int i = 0; i < kTrees; ++i) {
      const SearchTree tree = randomTree(random);
      const LinearizeOptions options = optionsFor(random);
      if (rankCorrectTerminals(tree).empty()) {
        QVERIFY_THROWS_EXCEPTION(astro::Error, linearize(tree, options));
        ++withoutCorrect;
        continue;
      }
      ++linearized;
      for (const NodeSequence& sequence : linearize(tree, options)) {
        checkSequence(tree, sequence, options);
        if (QTest::currentTestFailed()) {
          QFAIL(qPrintable(QString("tree %1 failed").arg(i)));
        }
        ++sequences;
        backtracks += sequence.backtracks();
        restarts += sequence.restarts();
      }
    }
    // The generator must reach every case, or the property says little.
    QVERIFY(linearized > kTrees / 3);
    QVERIFY(withoutCorrect > 100);
    QVERIFY(backtracks > 500);
    QVERIFY(restarts > 500);
    QVERIFY(sequences > linearized);
  }
  void treeOrder_detoursNeverRewriteAStep() {
    SeededRandom random(31337);
    int checked = 0;
    for (int i = 0; i < kTrees; ++i) {
      const SearchTree tree = randomTree(random);
      if (rankCorrectTerminals(tree).empty()) continue;
      LinearizeOptions options = optionsFor(random);
      options.detourOrder = DetourOrder::kTreeOrder;
      options.returnTarget = ReturnTarget::kBranchPoint;
      options.restartProbability = 0.0;
      const NodeSequence sequence = linearizeOnce(tree, options, 0);
      // Forward steps before the last return (the detours) each appear once.
      std::size_t lastReturn = 0;
      for (std::size_t s = 0; s < sequence.steps.size(); ++s) {
        if (sequence.steps[s].move != Move::kForward && s > 0) lastReturn = s;
      }
      std::set<int> written;
      for (std::size_t s = 1; s < lastReturn; ++s) {
        if (sequence.steps[s].move == Move::kForward) {
          QVERIFY2(written.insert(sequence.steps[s].node).second, qPrintable(QString::number(i)));
        }
      }
      checked += sequence.detours() >= 2;
    }
    QVERIFY(checked > 200);
  }
  void randomTrees_directIsThePathToTheBestCorrectTerminal() {
    SeededRandom random(7);
    for (int i = 0; i < kTrees; ++i) {
      const SearchTree tree = randomTree(random);
      if (rankCorrectTerminals(tree).empty()) continue;
      const NodeSequence direct = directSequence(tree);
      QCOMPARE(direct.detours(), 0);
      std::vector<int> nodes;
      for (const SequenceStep& step : direct.steps) nodes.push_back(step.node);
      QCOMPARE(nodes, tree.pathFromRoot(bestCorrectTerminal(tree)));
      QVERIFY(!findSequenceViolation(tree, direct));
    }
  }
  void randomTrees_renderingParsesBackExactly() {
    SeededRandom random(99);
    int rendered = 0;
    for (int i = 0; i < kTrees; ++i) {
      const SearchTree tree = randomTree(random);
      if (rankCorrectTerminals(tree).empty()) continue;
      const LinearizeOptions options = optionsFor(random);
      RenderOptions render{.seed = random.next(), .answerCheck = random.below(2) == 0};
      if (random.below(2) == 0) render.affirmStepsWithQAtLeast = random.unit() - 0.5;
      const NodeSequence sequence = linearizeOnce(tree, options, 0);
      const RenderedTrace trace = renderTrace(tree, sequence, defaultPhraseSet(), render);
      const auto parsed = parseTrace(tree, defaultPhraseSet(), trace.text);
      QVERIFY2(parsed, trace.text.c_str());
      QVERIFY(parsed->sequence == sequence);
      QVERIFY(parsed->markers == trace.markers);
      QVERIFY(parsed->steps == trace.steps);
      // Each step span holds its node's text; the final answer is the last \boxed{}.
      for (const StepSpan& span : trace.steps) {
        QCOMPARE(trace.text.substr(span.begin, span.end - span.begin), tree.node(span.node).text);
      }
      const std::string& answer = *tree.node(sequence.finalNode()).answer;
      QVERIFY(
          trace.text.substr(trace.text.rfind("\\boxed{")).starts_with("\\boxed{" + answer + "}"));
      ++rendered;
    }
    QVERIFY(rendered > kTrees / 3);
  }
};

QTEST_GUILESS_MAIN(LinearizePropertyTest)
#include "linearize_property_test.moc"
