// The laid-out graph the GUI draws: a plain value with coordinates in points (1/72 inch), origin
// at the top-left corner, y growing downward (Qt's convention; Graphviz's y-up is flipped here).
// Node x/y are centres. Produced by layoutTree (tree_layout.h) on any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace astro::graph {

struct Point {
  double x = 0.0;
  double y = 0.0;
  bool operator==(const Point&) const = default;
};

struct LayoutNode {
  int id = 0;  // the tree node's id
  double x = 0.0;
  double y = 0.0;
  double width = 0.0;
  double height = 0.0;
  std::string label;  // plain text as drawn (not escaped)
  int visits = 0;
  double value = 0.0;           // mean action value Q = sum of rewards / visits
  std::optional<bool> correct;  // terminal verdict, when graded
  int depth = 0;
  bool terminal = false;
  int childCount = 0;          // children in the full tree (some may be pruned away)
  std::vector<int> pathOrder;  // positions of this node in the linearized path (0-based)
  std::string role;            // step graphs: "step", "reflection", "backtrack", "restart"
};

struct LayoutEdge {
  int from = 0;  // parent id (step graphs: step index)
  int to = 0;    // child id
  // Cubic B-spline control points as Graphviz gives them (1 + 3k points), start to end; the
  // built-in tidy layout gives 4 points of a straight-ish cubic.
  std::vector<Point> spline;
  std::optional<Point> arrowTip;  // where the arrow head points, when it lies past the spline
  std::string kind;               // step graphs: "continues", "reflects", "backtracks", "restarts"
};

struct GraphLayout {
  double width = 0.0;
  double height = 0.0;
  std::vector<LayoutNode> nodes;
  std::vector<LayoutEdge> edges;
  std::string engine;               // "dot" or "tidy" (see LayoutOptions)
  int totalNodes = 0;               // nodes in the tree
  int shownNodes = 0;               // nodes laid out (after pruning)
  int nodeLimit = 0;                // the limit that pruning applied
  bool pruned = false;              // true when shownNodes < totalNodes
  std::vector<int> linearizedPath;  // node ids in trace order, as given in the options
};

}  // namespace astro::graph
