#include "core/graph/tree_pruning.h"

#include <algorithm>
#include <numeric>
#include <queue>
#include <utility>

namespace astro::graph {

std::vector<int> pruneByVisits(const search::SearchTree& tree, int limit) {
  std::vector<int> kept;
  if (limit < 1 || limit >= tree.size()) {
    kept.resize(static_cast<std::size_t>(tree.size()));
    std::iota(kept.begin(), kept.end(), 0);
    return kept;
  }
  // Max-heap on (visits, -id): the frontier of children of kept nodes.
  using Entry = std::pair<int, int>;
  std::priority_queue<Entry> frontier;
  frontier.push({tree.root().visits, 0});
  while (!frontier.empty() && static_cast<int>(kept.size()) < limit) {
    int id = -frontier.top().second;
    frontier.pop();
    kept.push_back(id);
    for (int child : tree.node(id).children) frontier.push({tree.node(child).visits, -child});
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

}  // namespace astro::graph
