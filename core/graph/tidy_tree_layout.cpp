#include "core/graph/tidy_tree_layout.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace astro::graph {

namespace {

// Graphviz's defaults at fontsize 10, so both engines draw nodes of similar size (points).
constexpr double kCharacterWidth = 5.6;
constexpr double kLineHeight = 12.0;
constexpr double kPadding = 16.0;
constexpr double kMinimumWidth = 54.0;
constexpr double kMinimumHeight = 36.0;
constexpr double kSiblingGap = 18.0;  // nodesep 0.25 in
constexpr double kRankGap = 28.8;     // ranksep 0.4 in
constexpr int kCancelCheckInterval = 512;

void estimateSize(LayoutNode& node) {
  std::size_t longestLine = 0;
  std::size_t lines = 1;
  std::size_t lineCharacters = 0;
  for (unsigned char c : node.label) {
    if (c == '\n') {
      ++lines;
      lineCharacters = 0;
    } else if ((c & 0xC0) != 0x80) {
      longestLine = std::max(longestLine, ++lineCharacters);
    }
  }
  node.width =
      std::max(kMinimumWidth, static_cast<double>(longestLine) * kCharacterWidth + kPadding);
  node.height = std::max(kMinimumHeight, static_cast<double>(lines) * kLineHeight + kPadding / 2);
}

}  // namespace

bool layoutTidy(const search::SearchTree& tree, GraphLayout& layout, bool leftToRight,
                const std::atomic<bool>* cancel) {
  auto isCancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
  const std::size_t count = layout.nodes.size();
  if (count == 0) return true;
  // Dense positions of the kept nodes, and their kept children in id order.
  std::vector<int> positionOf(static_cast<std::size_t>(tree.size()), -1);
  for (std::size_t i = 0; i < count; ++i) positionOf[layout.nodes[i].id] = static_cast<int>(i);
  std::vector<std::vector<int>> children(count);
  for (std::size_t i = 0; i < count; ++i) {
    for (int child : tree.node(layout.nodes[i].id).children) {
      if (positionOf[child] >= 0) children[i].push_back(positionOf[child]);
    }
  }
  // Breadth = extent along a rank (x for top-to-bottom), length = extent across ranks.
  std::vector<double> breadth(count), length(count);
  for (std::size_t i = 0; i < count; ++i) {
    estimateSize(layout.nodes[i]);
    breadth[i] = leftToRight ? layout.nodes[i].height : layout.nodes[i].width;
    length[i] = leftToRight ? layout.nodes[i].width : layout.nodes[i].height;
  }
  // Breadth-first order: parents before children (no recursion: trees can be 20,000 deep).
  std::vector<int> order;
  order.reserve(count);
  order.push_back(0);
  for (std::size_t head = 0; head < order.size(); ++head) {
    for (int child : children[order[head]]) order.push_back(child);
  }
  int maxDepth = 0;
  for (const LayoutNode& node : layout.nodes) maxDepth = std::max(maxDepth, node.depth);
  std::vector<double> rankLength(static_cast<std::size_t>(maxDepth) + 1, 0.0);
  for (std::size_t i = 0; i < count; ++i) {
    auto depth = static_cast<std::size_t>(layout.nodes[i].depth);
    rankLength[depth] = std::max(rankLength[depth], length[i]);
  }
  std::vector<double> rankStart(rankLength.size(), 0.0);
  for (std::size_t d = 1; d < rankLength.size(); ++d) {
    rankStart[d] = rankStart[d - 1] + rankLength[d - 1] + kRankGap;
  }
  // Pass 1, children first: the breadth each subtree needs.
  std::vector<double> subtreeBreadth(count);
  for (std::size_t k = order.size(); k-- > 0;) {
    if (k % kCancelCheckInterval == 0 && isCancelled()) return false;
    int v = order[k];
    double childrenBreadth = 0;
    for (int child : children[v]) childrenBreadth += subtreeBreadth[child] + kSiblingGap;
    if (!children[v].empty()) childrenBreadth -= kSiblingGap;
    subtreeBreadth[v] = std::max(breadth[v], childrenBreadth);
  }
  // Pass 2, parents first: each subtree is centred in the interval its parent gives it.
  std::vector<double> intervalStart(count, 0.0);
  std::vector<double> along(count), across(count);
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k % kCancelCheckInterval == 0 && isCancelled()) return false;
    int v = order[k];
    along[v] = intervalStart[v] + subtreeBreadth[v] / 2;
    across[v] = rankStart[layout.nodes[v].depth] + rankLength[layout.nodes[v].depth] / 2;
    double childrenBreadth = -kSiblingGap;
    for (int child : children[v]) childrenBreadth += subtreeBreadth[child] + kSiblingGap;
    double cursor = intervalStart[v] + (subtreeBreadth[v] - std::max(0.0, childrenBreadth)) / 2;
    for (int child : children[v]) {
      intervalStart[child] = cursor;
      cursor += subtreeBreadth[child] + kSiblingGap;
    }
  }
  auto toPoint = [&](double a, double c) { return leftToRight ? Point{c, a} : Point{a, c}; };
  for (std::size_t i = 0; i < count; ++i) {
    Point centre = toPoint(along[i], across[i]);
    layout.nodes[i].x = centre.x;
    layout.nodes[i].y = centre.y;
  }
  double totalBreadth = subtreeBreadth[0];
  double totalLength = rankStart.back() + rankLength.back();
  layout.width = leftToRight ? totalLength : totalBreadth;
  layout.height = leftToRight ? totalBreadth : totalLength;
  layout.edges.clear();
  layout.edges.reserve(count - 1);
  for (std::size_t v = 0; v < count; ++v) {
    for (int child : children[v]) {
      double start = across[v] + length[v] / 2;
      double end = across[child] - length[child] / 2;
      double middle = (start + end) / 2;
      LayoutEdge edge{layout.nodes[v].id, layout.nodes[child].id, {}};
      edge.spline = {toPoint(along[v], start), toPoint(along[v], middle),
                     toPoint(along[child], middle), toPoint(along[child], end)};
      layout.edges.push_back(std::move(edge));
    }
  }
  return true;
}

}  // namespace astro::graph
