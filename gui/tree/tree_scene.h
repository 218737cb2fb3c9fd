// The search tree drawn from a GraphLayout: nodes coloured by verdict (green correct, red wrong,
// grey otherwise) or by Q, sized by visits; edges labelled with the child's Q on small trees; the
// linearized path drawn over it in order as arrows, forward moves solid and backtracks/restarts
// dashed.
// Double-clicking a node collapses or expands its subtree. Given the tree, each node's tooltip
// starts with its step's first words, and on small trees its label does too.
#pragma once

#include <QGraphicsScene>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/graph/graph_layout.h"
#include "core/search/linearize.h"
#include "core/search/tree.h"

class QGraphicsEllipseItem;
class QGraphicsPathItem;

namespace astro::gui {

enum class NodeColoring { kCorrectness, kValue };

class TreeScene : public QGraphicsScene {
  Q_OBJECT
 public:
  static constexpr int kNodeIdKey = 0;  // QGraphicsItem::data key holding the tree node id

  explicit TreeScene(QObject* parent = nullptr);

  // `tree` (optional, borrowed for the call) gives the steps' words for labels and tooltips.
  void showLayout(graph::GraphLayout layout, search::NodeSequence path, NodeColoring coloring,
                  const search::SearchTree* tree = nullptr);
  void setColoring(NodeColoring coloring);
  void setPathVisible(bool visible);

  const graph::GraphLayout& graphLayout() const { return layout_; }
  QGraphicsEllipseItem* nodeItem(int id) const;
  int nodeItemCount() const { return static_cast<int>(nodes_.size()); }
  int pathSegmentCount() const { return static_cast<int>(pathItems_.size()); }
  int dashedPathSegmentCount() const;
  // The selected node's id, or -1.
  int selectedNode() const;
  void selectNode(int id);

  void toggleCollapsed(int id);
  bool isCollapsed(int id) const { return collapsed_.count(id) > 0; }
  bool isNodeVisible(int id) const;

 protected:
  void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;

 private:
  QColor nodeColor(const graph::LayoutNode& node) const;
  void addNode(const graph::LayoutNode& node, bool labels, const search::SearchTree* tree);
  void applyVisibility();

  graph::GraphLayout layout_;
  NodeColoring coloring_ = NodeColoring::kCorrectness;
  double minValue_ = 0.0;
  double maxValue_ = 1.0;
  std::unordered_map<int, QGraphicsEllipseItem*> nodes_;
  std::unordered_map<int, std::vector<int>> children_;     // shown edges, parent -> children
  std::vector<std::pair<QGraphicsItem*, int>> edgeItems_;  // item, child id it leads to
  std::vector<QGraphicsPathItem*> pathItems_;
  std::set<int> collapsed_;
};

}  // namespace astro::gui
