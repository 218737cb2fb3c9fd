// Procedure cloning on the hand-made apples tree, where every sequence is known by hand, and the
// invariant checker that the property tests rely on.
#include "core/search/linearize.h"

#include <QtTest>
#include <set>

#include "core/base/error.h"
#include "tests/search/search_fixtures.h"

using namespace astro::search;
using astro::search::test::applesTree;

namespace {

constexpr Move S = Move::kStart, F = Move::kForward, B = Move::kBacktrack, R = Move::kRestart;

NodeSequence sequenceOf(std::initializer_list<SequenceStep> steps) { return NodeSequence{steps}; }

LinearizeOptions detours(int min, int max, std::uint64_t seed = 0) {
  LinearizeOptions options;
  options.minIncorrectTerminals = min;
  options.maxIncorrectTerminals = max;
  options.seed = seed;
  return options;
}

QString violation(const SearchTree& tree, const NodeSequence& sequence) {
  auto found = findSequenceViolation(tree, sequence);
  return found ? QString::fromStdString(*found) : QString("(none)");
}

}  // namespace

class LinearizeTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void rankCorrectTerminals_prefersHigherQThenMoreVisits() {
    QCOMPARE(rankCorrectTerminals(applesTree()), (std::vector<int>{5, 6}));
    SearchTree tree = applesTree();
    tree.node(6).value = 1.5;  // q 1.5 beats q 1.0 despite fewer visits
    QCOMPARE(rankCorrectTerminals(tree), (std::vector<int>{6, 5}));
  }
  void direct_isThePathToTheBestCorrectTerminal() {
    QCOMPARE(directSequence(applesTree()), sequenceOf({{0, S}, {2, F}, {5, F}}));
  }
  void twoDetours_visitBothWrongAnswersThenRestartAndBacktrack() {
    const NodeSequence expected =
        sequenceOf({{0, S}, {1, F}, {3, F}, {0, R}, {2, F}, {4, F}, {2, B}, {5, F}});
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      QCOMPARE(linearizeOnce(applesTree(), detours(2, 2, seed), 0), expected);
    }
  }
  void oneDetour_isEitherWrongBranchAndNothingElse() {
    const NodeSequence viaTwelve = sequenceOf({{0, S}, {1, F}, {3, F}, {0, R}, {2, F}, {5, F}});
    const NodeSequence viaEight = sequenceOf({{0, S}, {2, F}, {4, F}, {2, B}, {5, F}});
    int twelve = 0, eight = 0;
    for (std::uint64_t stream = 0; stream < 64; ++stream) {
      const NodeSequence sequence = linearizeOnce(applesTree(), detours(1, 1), stream);
      if (sequence == viaTwelve)
        ++twelve;
      else if (sequence == viaEight)
        ++eight;
      else
        QFAIL("unexpected sequence");
    }
    QVERIFY(twelve > 0 && eight > 0);
  }
  void nearFinalPath_takesTheWrongBranchBesideTheFinalPath() {
    // Node 4 (eight) branches from the final path at node 2, node 3 (twelve) at the root: with
    // one detour, near-final-path always takes 4 and backtracks; with two, both in tree order.
    LinearizeOptions near = detours(1, 1);
    near.detourChoice = DetourChoice::kNearFinalPath;
    for (std::uint64_t stream = 0; stream < 64; ++stream) {
      QCOMPARE(linearizeOnce(applesTree(), near, stream),
               sequenceOf({{0, S}, {2, F}, {4, F}, {2, B}, {5, F}}));
    }
    near.maxIncorrectTerminals = near.minIncorrectTerminals = 2;
    QCOMPARE(linearizeOnce(applesTree(), near, 3),
             sequenceOf({{0, S}, {1, F}, {3, F}, {0, R}, {2, F}, {4, F}, {2, B}, {5, F}}));
    QCOMPARE(parseDetourChoice("near-final-path"), std::optional(DetourChoice::kNearFinalPath));
    QCOMPARE(parseDetourChoice(detourChoiceName(DetourChoice::kUniform)),
             std::optional(DetourChoice::kUniform));
    QVERIFY(!parseDetourChoice("nearest"));
  }
  void zeroDetours_equalsDirect() {
    QCOMPARE(linearizeOnce(applesTree(), detours(0, 0), 5), directSequence(applesTree()));
  }
  void restartProbabilityOne_turnsEveryReturnIntoARestart() {
    LinearizeOptions options = detours(2, 2);
    options.restartProbability = 1.0;
    QCOMPARE(linearizeOnce(applesTree(), options, 0),
             sequenceOf({{0, S}, {1, F}, {3, F}, {0, R}, {2, F}, {4, F}, {0, R}, {2, F}, {5, F}}));
  }
  void randomSharedAncestor_returnsToRootOrBranchPoint() {
    LinearizeOptions options = detours(2, 2);
    options.returnTarget = ReturnTarget::kRandomSharedAncestor;
    std::set<int> targets;
    for (std::uint64_t stream = 0; stream < 64; ++stream) {
      const NodeSequence sequence = linearizeOnce(applesTree(), options, stream);
      QCOMPARE(violation(applesTree(), sequence), QString("(none)"));
      targets.insert(sequence.steps[6].node);  // the return after the wrong answer 8
    }
    QCOMPARE(targets, (std::set<int>{0, 2}));
  }
  void linearize_drawsDistinctSequences() {
    const std::vector<NodeSequence> sequences = linearize(applesTree(), detours(1, 2));
    QCOMPARE(sequences.size(), std::size_t(3));  // only three distinct walks exist
    for (std::size_t i = 0; i < sequences.size(); ++i) {
      for (std::size_t j = i + 1; j < sequences.size(); ++j)
        QVERIFY(!(sequences[i] == sequences[j]));
    }
  }
  void linearize_isDeterministicForASeed() {
    QVERIFY(linearize(applesTree(), detours(1, 2, 42)) ==
            linearize(applesTree(), detours(1, 2, 42)));
  }
  void topCorrectTerminals_letsTheRunnerUpEndSequences() {
    LinearizeOptions options = detours(0, 0);
    options.topCorrectTerminals = 2;
    std::set<int> finals;
    for (std::uint64_t stream = 0; stream < 32; ++stream) {
      finals.insert(linearizeOnce(applesTree(), options, stream).finalNode());
    }
    QCOMPARE(finals, (std::set<int>{5, 6}));
  }
  void neverRepeatsWrongAnswer() {
    SearchTree tree = applesTree();
    for (auto [parent, answer] : {std::pair{2, "8"}, {1, "12"}, {2, "5"}}) {
      const int id = tree.addChild(parent, std::string("again ") + answer);
      tree.node(id).terminal = true;
      tree.node(id).answer = answer;
      tree.node(id).correct = false;
    }
    for (std::uint64_t stream = 0; stream < 100; ++stream) {
      const NodeSequence sequence = linearizeOnce(tree, detours(5, 5), stream);
      QCOMPARE(violation(tree, sequence), QString("(none)"));
      QCOMPARE(sequence.detours(), 2);  // one "12", one "8"; the wrong "5" equals the final answer
    }
  }
  void noCorrectTerminal_throwsNamingTheCount() {
    SearchTree tree = applesTree();
    tree.node(5).correct = false;
    tree.node(6).correct.reset();
    try {
      linearizeOnce(tree, LinearizeOptions{}, 0);
      QFAIL("no error");
    } catch (const astro::Error& error) {
      QCOMPARE(QString(error.what()),
               QString("search tree: no correct terminal node to end a trace at (4 terminal "
                       "nodes, none correct)"));
    }
    QVERIFY_THROWS_EXCEPTION(astro::Error, directSequence(tree));
  }
  void terminalsBelowTerminals_areNeverUsed() {
    SearchTree tree = applesTree();
    const int below = tree.addChild(3, "continues past a final answer");
    tree.node(below).terminal = true;
    tree.node(below).answer = "5";
    tree.node(below).correct = true;
    tree.node(below).visits = 100;
    tree.node(below).value = 100;
    QCOMPARE(rankCorrectTerminals(tree), (std::vector<int>{5, 6}));
    QCOMPARE(detourCandidates(tree), (std::vector<int>{3, 4}));
    tree.node(5).correct = false;
    tree.node(6).correct = false;
    try {
      directSequence(tree);
      QFAIL("no error");
    } catch (const astro::Error& error) {
      QCOMPARE(QString(error.what()),
               QString("search tree: no usable correct terminal node (1 correct, all below "
                       "another terminal node)"));
    }
  }
  void validateOptions_rejectsBadRanges() {
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, validateOptions(detours(3, 2)));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, validateOptions(detours(-1, 2)));
    LinearizeOptions options;
    options.restartProbability = 1.5;
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, validateOptions(options));
  }
  void checker_acceptsHandWrittenValidWalk() {
    QCOMPARE(violation(applesTree(), sequenceOf({{0, S}, {2, F}, {4, F}, {2, B}, {6, F}})),
             QString("(none)"));
  }
  void checker_rejectsForwardToNonChild() {
    QCOMPARE(violation(applesTree(), sequenceOf({{0, S}, {2, F}, {3, F}})),
             QString("steps[2]: forward to 3, not a child of 2"));
  }
  void checker_rejectsBacktrackToNonAncestor() {
    QCOMPARE(violation(applesTree(), sequenceOf({{0, S}, {2, F}, {4, F}, {1, B}, {3, F}})),
             QString("steps[3]: backtrack target 1 is not a proper non-root ancestor of 4"));
  }
  void checker_rejectsReturnFromNonTerminal() {
    QCOMPARE(violation(applesTree(), sequenceOf({{0, S}, {2, F}, {0, R}, {2, F}, {5, F}})),
             QString("steps[2]: returns from node 2, which is not an incorrect terminal"));
  }
  void checker_rejectsWalkingPastATerminal() {
    SearchTree tree = applesTree();
    tree.addChild(4, "more");
    QCOMPARE(violation(tree, sequenceOf({{0, S}, {2, F}, {4, F}, {7, F}})),
             QString("steps[3]: the walk goes on past terminal node 4"));
  }
  void checker_rejectsRepeatedWrongAnswer() {
    SearchTree tree = applesTree();
    const int again = tree.addChild(2, "eight again");
    tree.node(again).terminal = true;
    tree.node(again).answer = "8";
    tree.node(again).correct = false;
    QCOMPARE(violation(tree, sequenceOf({{0, S}, {2, F}, {4, F}, {2, B}, {7, F}, {2, B}, {5, F}})),
             QString("steps[5]: incorrect answer of node 7 repeats"));
  }
  void checker_rejectsEndingAnywhereButACorrectTerminal() {
    QCOMPARE(violation(applesTree(), sequenceOf({{0, S}, {2, F}, {4, F}})),
             QString("the last node 4 is not a correct terminal"));
    QCOMPARE(violation(applesTree(), sequenceOf({{2, F}, {5, F}})),
             QString("steps[0] must be {node 0, start}"));
  }
  void checker_enforcesTheDetourLimit() {
    const NodeSequence two =
        sequenceOf({{0, S}, {1, F}, {3, F}, {0, R}, {2, F}, {4, F}, {2, B}, {5, F}});
    const LinearizeOptions options = detours(0, 1);
    QCOMPARE(QString::fromStdString(findSequenceViolation(applesTree(), two, &options).value()),
             QString("2 detours exceed maxIncorrectTerminals 1"));
  }
  void sequenceJson_roundTrips() {
    const NodeSequence sequence =
        sequenceOf({{0, S}, {1, F}, {3, F}, {0, R}, {2, F}, {4, F}, {2, B}, {5, F}});
    const auto json = sequenceToJson(sequence);
    QCOMPARE(json[3].dump(), std::string(R"({"node":0,"move":"restart"})"));
    QCOMPARE(sequenceFromJson(nlohmann::json::parse(json.dump()), "memory"), sequence);
  }
  void sequenceJson_errorsNameTheStep() {
    auto error = [](const char* text) {
      try {
        sequenceFromJson(nlohmann::json::parse(text), "seq.json");
      } catch (const astro::Error& e) {
        return QString(e.what());
      }
      return QString("(no error)");
    };
    QCOMPARE(error(R"([{"node":0,"move":"start"},{"node":1,"move":"jump"}])"),
             QString("seq.json: sequence[1].move: 'jump' is not a move"));
    QCOMPARE(error(R"([{"move":"start"}])"),
             QString("seq.json: sequence[0].node: expected an integer"));
  }
  void seededRandom_isTheSameEverywhere() {
    SeededRandom random(0);
    QCOMPARE(random.next(), 0xE220A8397B1DCDAFULL);  // SplitMix64's published first output
  }
};

QTEST_GUILESS_MAIN(LinearizeTest)
#include "linearize_test.moc"
