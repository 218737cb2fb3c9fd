// Private to core/graph: runs Graphviz dot on DOT text whose nodes are named "n<id>" and copies
// the coordinates into a GraphLayout (flipped to y-down), shared by tree and step-graph layouts.
#pragma once

#include <atomic>
#include <string>

#include "core/graph/graph_layout.h"

namespace astro::graph::detail {

// Fills x/y/width/height of every layout.nodes entry and appends every edge (with its "class"
// attribute as kind). False when `cancel` was set; throws astro::Error when Graphviz fails.
bool layoutDotText(const std::string& dotText, const std::string& source, GraphLayout& layout,
                   const std::atomic<bool>* cancel);

}  // namespace astro::graph::detail
