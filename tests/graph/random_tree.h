// Seeded random search trees for the graph tests and benchmarks: every node gets visits, a value
// and a short step text; leaves at depth >= 3 become graded terminals.
#pragma once

#include <random>
#include <string>

#include "core/search/tree.h"

namespace astro::test {

inline search::SearchTree randomTree(int nodeCount, unsigned seed = 7) {
  search::SearchTree tree("What is 6 * 7?", "42");
  std::mt19937 generator(seed);
  for (int id = 1; id < nodeCount; ++id) {
    // Parents among the recent nodes: bushy near the top, deep chains as in MCTS trees.
    std::uniform_int_distribution<int> pick(std::max(0, id - 40), id - 1);
    int parent = pick(generator);
    tree.addChild(parent, "Step " + std::to_string(id) + ": multiply 6 by 7 and check the sum.");
  }
  for (int id = tree.size() - 1; id >= 0; --id) {
    search::TreeNode& node = tree.node(id);
    node.visits += 1 + static_cast<int>(generator() % 5);
    node.value += 0.5 * node.visits;
    if (node.parent) tree.node(*node.parent).visits += node.visits;
    if (node.children.empty() && node.depth >= 3) {
      node.terminal = true;
      node.answer = id % 3 == 0 ? "42" : "41";
      node.correct = id % 3 == 0;
    }
  }
  return tree;
}

}  // namespace astro::test
