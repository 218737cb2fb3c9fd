// Trees the search suites share: the hand-made "apples" tree whose linearizations are known by
// hand, and a seeded generator of random trees for the property tests.
#pragma once

#include <string>

#include "core/search/linearize.h"
#include "core/search/phrase_set.h"
#include "core/search/tree.h"

namespace astro::search::test {

// Same tree as tests/search/data/apples_tree.json:
//   0 root
//   +- 1 wrong approach            +- 3 terminal, answer 12 (incorrect)
//   +- 2 sets up 2x = 10           +- 4 terminal, answer 8 (incorrect)
//                                  +- 5 terminal, answer 5 (correct, q 1, 4 visits)
//                                  +- 6 terminal, answer 5 (correct, q 1, 1 visit)
inline SearchTree applesTree() {
  SearchTree tree(
      "Alice has some apples. Twice that number is 10. How many apples does Alice have?", "5");
  auto set = [&](int id, int visits, double value, double prior) {
    TreeNode& node = tree.node(id);
    node.visits = visits;
    node.value = value;
    node.prior = prior;
  };
  auto finish = [&](int id, const char* answer, bool correct) {
    TreeNode& node = tree.node(id);
    node.terminal = true;
    node.answer = answer;
    node.correct = correct;
  };
  set(0, 9, 1.0, 1.0);
  tree.addChild(0, "Twice the number is 10, so we add: $10 + 2 = 12$.");
  tree.addChild(0, "Let $x$ be the number of apples, so $2x = 10$.");
  tree.addChild(1, "So Alice has $\\boxed{12}$ apples.");
  tree.addChild(2, "Subtracting 2 from both sides gives $x = 8$, so the answer is $\\boxed{8}$.");
  tree.addChild(2, "Dividing both sides by 2 gives $x = 5$, so the answer is $\\boxed{5}$.");
  tree.addChild(2, "Dividing by 2, $x = 5$. The answer is $\\boxed{5}$.");
  set(1, 2, -2.0, 0.25);
  set(2, 7, 3.0, 0.75);
  set(3, 2, -2.0, 1.0);
  set(4, 2, -2.0, 0.375);
  set(5, 4, 4.0, 0.5);
  set(6, 1, 1.0, 0.125);
  finish(3, "12", false);
  finish(4, "8", false);
  finish(5, "5", true);
  finish(6, "5", true);
  return tree;
}

// One phrase per list, so rendered text does not depend on the seed.
inline PhraseSet singlePhraseSet() {
  PhraseSet phrases;
  phrases.id = "test-single";
  phrases.reflections = {"But wait, are we solving the problem correctly so far? Hmm..."};
  phrases.backtracks = {"Let's go back to \"{step}\"."};
  phrases.restarts = {"Let's start over."};
  phrases.answerChecks = {"The answer checks out."};
  phrases.finalAnswers = {"The answer is \\boxed{{answer}}."};
  return phrases;
}

struct RandomTreeShape {
  int maxNodes = 40;
  double terminalProbability = 0.35;
  double childOfTerminalProbability = 0.05;  // imported trees may expand terminals
  double missingAnswerProbability = 0.1;
  int answerPool = 4;  // wrong answers drawn from "w0".."w3"; the gold answer is "g"
};

// A random tree: each new node hangs under a random earlier node; terminals get an answer from a
// small pool, so wrong answers repeat across branches.
inline SearchTree randomTree(SeededRandom& random, const RandomTreeShape& shape = {}) {
  SearchTree tree("random problem", "g");
  const int count = 1 + static_cast<int>(random.below(shape.maxNodes));
  for (int id = 1; id < count; ++id) {
    int parent = static_cast<int>(random.below(id));
    if (tree.node(parent).terminal && random.unit() >= shape.childOfTerminalProbability) {
      parent = tree.node(parent).parent.value_or(0);
      if (tree.node(parent).terminal) parent = 0;
    }
    const int child =
        tree.addChild(parent, "step " + std::to_string(id) + " under " + std::to_string(parent) +
                                  (random.below(4) == 0 ? "\nwith  a\n\nbreak" : ""));
    TreeNode& node = tree.node(child);
    node.visits = static_cast<int>(random.below(20));
    node.value = static_cast<double>(random.below(41)) / 2.0 - 10.0;
    node.prior = random.unit();
    if (random.unit() < shape.terminalProbability) {
      node.terminal = true;
      if (random.unit() < shape.missingAnswerProbability) {
        node.correct = false;
      } else {
        const auto pick = random.below(shape.answerPool + 1);
        node.answer = pick == 0 ? std::string("g") : "w" + std::to_string(pick - 1);
        node.correct = pick == 0;
      }
    }
  }
  return tree;
}

}  // namespace astro::search::test
