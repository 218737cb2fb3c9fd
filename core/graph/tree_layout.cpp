#include "core/graph/tree_layout.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/graph/detail/dot_layout.h"
#include "core/graph/tidy_tree_layout.h"

namespace astro::graph {

namespace {

bool cancelled(const std::atomic<bool>* cancel) {
  return cancel && cancel->load(std::memory_order_relaxed);
}

// The attributes of every kept node, positions left for the engine to fill.
GraphLayout describeNodes(const search::SearchTree& tree, const TreeDot& dot,
                          const LayoutOptions& options) {
  GraphLayout layout;
  layout.totalNodes = tree.size();
  layout.shownNodes = static_cast<int>(dot.keptIds.size());
  layout.nodeLimit = options.dot.nodeLimit;
  layout.pruned = layout.shownNodes < layout.totalNodes;
  layout.linearizedPath = options.linearizedPath;
  layout.nodes.reserve(dot.keptIds.size());
  for (int id : dot.keptIds) {
    const search::TreeNode& node = tree.node(id);
    LayoutNode drawn;
    drawn.id = id;
    drawn.label = nodeLabelText(tree, id, options.dot.maxStepCharacters);
    drawn.visits = node.visits;
    drawn.value = node.q();
    drawn.correct = node.correct;
    drawn.depth = node.depth;
    drawn.terminal = node.terminal;
    drawn.childCount = static_cast<int>(node.children.size());
    layout.nodes.push_back(std::move(drawn));
  }
  std::unordered_map<int, std::size_t> indexOf;
  for (std::size_t i = 0; i < layout.nodes.size(); ++i) indexOf[layout.nodes[i].id] = i;
  for (std::size_t position = 0; position < options.linearizedPath.size(); ++position) {
    auto found = indexOf.find(options.linearizedPath[position]);
    if (found != indexOf.end()) {
      layout.nodes[found->second].pathOrder.push_back(static_cast<int>(position));
    }
  }
  return layout;
}

}  // namespace

std::optional<GraphLayout> layoutTree(const search::SearchTree& tree, const LayoutOptions& options,
                                      const std::atomic<bool>* cancel) {
  if (cancelled(cancel)) return std::nullopt;
  TreeDot dot = treeToDot(tree, options.dot);
  if (cancelled(cancel)) return std::nullopt;
  GraphLayout layout = describeNodes(tree, dot, options);
  bool useDot = options.engine == LayoutEngine::kDot || (options.engine == LayoutEngine::kAuto &&
                                                         layout.shownNodes <= options.dotNodeLimit);
  if (useDot) {
    layout.engine = "dot";
    if (!detail::layoutDotText(dot.text, "search tree", layout, cancel)) return std::nullopt;
  } else {
    layout.engine = "tidy";
    bool leftToRight = options.dot.rankDirection == "LR";
    if (!layoutTidy(tree, layout, leftToRight, cancel)) return std::nullopt;
  }
  std::sort(layout.edges.begin(), layout.edges.end(),
            [](const LayoutEdge& a, const LayoutEdge& b) { return a.to < b.to; });
  return layout;
}

}  // namespace astro::graph
