// Layout of a search tree into coordinates the GUI draws (graph_layout.h). Runs on any thread
// (the GUI calls it through QtConcurrent) and polls a cancel flag between phases; Graphviz itself
// is serialized by a lock because it is not thread-safe.
#pragma once

#include <atomic>
#include <optional>
#include <vector>

#include "core/graph/graph_layout.h"
#include "core/graph/tree_dot.h"
#include "core/search/tree.h"

namespace astro::graph {

enum class LayoutEngine {
  kAuto,  // dot up to LayoutOptions::dotNodeLimit nodes, the tidy layout above
  kDot,   // Graphviz dot through cgraph + gvc: splines, crossing minimisation
  kTidy,  // built-in layered tree layout, O(n): each subtree gets an interval of its own width
};

struct LayoutOptions {
  // Labels, rank direction and the pruning limit; 0 disables pruning.
  TreeDotOptions dot = {.nodeLimit = 5000};
  LayoutEngine engine = LayoutEngine::kAuto;
  // dot takes ~1.3 s at 2,000 nodes and ~100 s at 20,000 on this 2-core machine
  // (tests/benchmarks/graph/bench_layout.cpp), so larger trees get the tidy layout by default.
  int dotNodeLimit = 2500;
  std::vector<int> linearizedPath = {};  // node ids in trace order; marks LayoutNode::pathOrder
};

// nullopt when `cancel` became true before the layout finished. Throws astro::Error when
// Graphviz fails. A Graphviz layout already running finishes its current phase before the
// cancel is seen.
std::optional<GraphLayout> layoutTree(const search::SearchTree& tree,
                                      const LayoutOptions& options = {},
                                      const std::atomic<bool>* cancel = nullptr);

}  // namespace astro::graph
