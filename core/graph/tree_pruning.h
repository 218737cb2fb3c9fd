// Pruning of large search trees before layout: keep the root and, up to a node limit, the most
// visited nodes whose parents are kept, so the shown tree is always connected.
#pragma once

#include <vector>

#include "core/search/tree.h"

namespace astro::graph {

// Ids of the kept nodes, ascending. Best-first from the root by visits (ties: lower id first).
// `limit` < 1 or >= tree size keeps every node.
std::vector<int> pruneByVisits(const search::SearchTree& tree, int limit);

}  // namespace astro::graph
