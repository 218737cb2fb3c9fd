// The project's own traces for the detector tests: seeded random search trees with correct and
// incorrect terminals, linearized with backtracks and restarts and rendered with a phrase set.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/search/linearize.h"
#include "core/search/render_trace.h"
#include "core/search/tree.h"

namespace astro::test {

inline search::SearchTree treeWithDetours(std::uint64_t seed) {
  search::SeededRandom random(seed);
  search::SearchTree tree("Compute 12 * 7 + 5.", "89");
  static const char* const kVerbs[] = {"Multiply", "Add", "Check", "Rewrite", "Simplify", "Group"};
  // A shared first step, then three levels of branching (so most returns are backtracks, not
  // restarts); leaves are graded terminals: a few correct, most wrong.
  std::vector<int> frontier = {0};
  for (int depth = 1; depth <= 4; ++depth) {
    std::vector<int> next;
    for (int parent : frontier) {
      int children = depth == 1 ? 1 : 2 + static_cast<int>(random.below(2));
      for (int c = 0; c < children; ++c) {
        std::string text = std::string(kVerbs[random.below(6)]) + " the terms at depth " +
                           std::to_string(depth) + ", branch " + std::to_string(parent) + "." +
                           std::to_string(c) + ": 12 * 7 = 84, then 84 + 5.";
        next.push_back(tree.addChild(parent, text));
      }
    }
    frontier = next;
  }
  for (int leaf : frontier) {
    search::TreeNode& node = tree.node(leaf);
    node.terminal = true;
    node.correct = random.below(4) == 0;
    node.answer = *node.correct ? "89" : "88";
    node.visits = 1 + static_cast<int>(random.below(9));
    node.value = *node.correct ? node.visits : 0.0;
  }
  tree.node(frontier.front()).correct = true;  // at least one correct terminal
  tree.node(frontier.front()).answer = "89";
  return tree;
}

struct RenderedCase {
  search::SearchTree tree;
  search::NodeSequence sequence;
  search::RenderedTrace trace;
};

// `count` rendered traces with 1..3 detours, some restarts and some answer checks, steps joined
// by `stepDelimiter`.
inline std::vector<RenderedCase> renderedTraces(
    int count, const search::PhraseSet& phrases,
    std::string_view stepDelimiter = domain::kDefaultStepDelimiter) {
  std::vector<RenderedCase> cases;
  for (int i = 0; cases.size() < static_cast<std::size_t>(count); ++i) {
    search::SearchTree tree = treeWithDetours(1000 + static_cast<std::uint64_t>(i));
    search::LinearizeOptions options;
    options.minIncorrectTerminals = 1;
    options.maxIncorrectTerminals = 3;
    options.restartProbability = 0.25;
    options.sequencesPerTree = 1;
    options.seed = static_cast<std::uint64_t>(i);
    search::NodeSequence sequence = search::linearizeOnce(tree, options, 0);
    search::RenderOptions render;
    render.seed = static_cast<std::uint64_t>(i);
    render.answerCheck = i % 3 == 0;
    render.stepDelimiter = stepDelimiter;
    search::RenderedTrace trace = search::renderTrace(tree, sequence, phrases, render);
    cases.push_back({std::move(tree), std::move(sequence), std::move(trace)});
  }
  return cases;
}

}  // namespace astro::test
