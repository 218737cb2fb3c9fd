// A search tree as DOT text: the one description both export (DOT/SVG/PDF/PNG) and layout start
// from, so what is drawn and what is exported cannot drift apart (and it is tested as text).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/search/tree.h"

namespace astro::graph {

struct TreeDotOptions {
  std::size_t maxStepCharacters = 60;  // step text shown in a node label; longer text is cut
  int nodeLimit = 2000;                // larger trees are pruned by visits (tree_pruning.h)
  std::string rankDirection = "TB";    // Graphviz rankdir: TB (root on top) or LR
};

// Plain label of one node (not escaped): "#id  N=visits  Q=mean", the step text cut to
// `maxStepCharacters`, and for a terminal "answer: A (correct|wrong|ungraded)".
std::string nodeLabelText(const search::SearchTree& tree, int id, std::size_t maxStepCharacters);

struct TreeDot {
  std::string text;
  std::vector<int> keptIds;  // ascending; every id when nothing was pruned
  int totalNodes = 0;
};

TreeDot treeToDot(const search::SearchTree& tree, const TreeDotOptions& options = {});

}  // namespace astro::graph
