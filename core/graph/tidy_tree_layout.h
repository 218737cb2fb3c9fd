// The built-in layered layout for trees too large for dot: O(n), no crossing minimisation needed
// (a tree drawn in child order has no crossings), cancellable every few hundred nodes.
#pragma once

#include <atomic>

#include "core/graph/graph_layout.h"
#include "core/search/tree.h"

namespace astro::graph {

// Fills x, y, width, height of layout.nodes (which must hold a connected subtree containing the
// root, ascending ids), layout.edges (4-point cubic splines) and layout.width/height. Node sizes
// are estimated from the label text (10 pt Helvetica). False when `cancel` became true.
bool layoutTidy(const search::SearchTree& tree, GraphLayout& layout, bool leftToRight,
                const std::atomic<bool>* cancel);

}  // namespace astro::graph
