#include "core/graph/tree_layout.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/base/error.h"
#include "core/graph/detail/graphviz_handles.h"
#include "core/graph/tidy_tree_layout.h"

namespace astro::graph {

namespace {

constexpr double kPointsPerInch = 72.0;

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

bool layoutWithDot(const TreeDot& dot, GraphLayout& layout, const std::atomic<bool>* cancel) {
  std::lock_guard lock(detail::graphvizMutex());
  if (cancelled(cancel)) return false;
  detail::ContextHandle context = detail::newContext();
  detail::GraphHandle graph = detail::readDot(dot.text, "search tree");
  if (gvLayout(context.get(), graph.get(), "dot") != 0) {
    throw Error("graphviz: dot layout failed for a tree of " +
                std::to_string(dot.keptIds.size()) + " nodes");
  }
  detail::LayoutGuard layoutGuard(context.get(), graph.get());
  if (cancelled(cancel)) return false;

  boxf box = GD_bb(graph.get());
  auto flip = [&](pointf p) { return Point{p.x - box.LL.x, box.UR.y - p.y}; };
  layout.width = box.UR.x - box.LL.x;
  layout.height = box.UR.y - box.LL.y;
  for (LayoutNode& drawn : layout.nodes) {
    std::string name = "n" + std::to_string(drawn.id);
    Agnode_t* node = agnode(graph.get(), name.data(), 0);
    if (!node) throw Error("graphviz: node " + name + " is missing after layout");
    Point centre = flip(ND_coord(node));
    drawn.x = centre.x;
    drawn.y = centre.y;
    drawn.width = ND_width(node) * kPointsPerInch;
    drawn.height = ND_height(node) * kPointsPerInch;
    for (Agedge_t* edge = agfstout(graph.get(), node); edge; edge = agnxtout(graph.get(), edge)) {
      LayoutEdge drawnEdge;
      drawnEdge.from = drawn.id;
      drawnEdge.to = std::stoi(agnameof(aghead(edge)) + 1);
      const splines* spline = ED_spl(edge);
      if (spline) {
        for (int b = 0; b < spline->size; ++b) {
          const bezier& curve = spline->list[b];
          for (int k = 0; k < curve.size; ++k) drawnEdge.spline.push_back(flip(curve.list[k]));
          // The arrow head ends past the last control point; the tip is where the edge ends.
          if (curve.eflag) drawnEdge.spline.push_back(flip(curve.ep));
        }
      }
      layout.edges.push_back(std::move(drawnEdge));
    }
  }
  return true;
}

}  // namespace

std::optional<GraphLayout> layoutTree(const search::SearchTree& tree, const LayoutOptions& options,
                                      const std::atomic<bool>* cancel) {
  if (cancelled(cancel)) return std::nullopt;
  TreeDot dot = treeToDot(tree, options.dot);
  if (cancelled(cancel)) return std::nullopt;
  GraphLayout layout = describeNodes(tree, dot, options);
  bool useDot = options.engine == LayoutEngine::kDot ||
                (options.engine == LayoutEngine::kAuto &&
                 layout.shownNodes <= options.dotNodeLimit);
  if (useDot) {
    layout.engine = "dot";
    if (!layoutWithDot(dot, layout, cancel)) return std::nullopt;
  } else {
    layout.engine = "tidy";
    bool leftToRight = options.dot.rankDirection == "LR";
    if (!layoutTidy(tree, layout, leftToRight, cancel)) return std::nullopt;
  }
  std::sort(layout.edges.begin(), layout.edges.end(), [](const LayoutEdge& a, const LayoutEdge& b) {
    return a.to < b.to;
  });
  return layout;
}

}  // namespace astro::graph
