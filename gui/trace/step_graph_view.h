// A chain of thought's step graph (core/graph layoutStepGraph) drawn in a graphics view: one box
// per step, coloured by role (step, reflection, backtrack, restart) with its label; "continues"
// edges grey, "reflects" dotted, "backtracks" dashed red and "restarts" dashed violet, as Graphviz
// routed them, each with an arrowhead. Zoom, pan and fit are the tree's (GraphCanvas); a fit keeps
// the boxes readable (at least 0.5x) and a tall graph scrolls. Clicking a node emits stepClicked;
// selectStep outlines a node and scrolls to it.
#pragma once

#include <vector>

#include "core/graph/graph_layout.h"
#include "gui/tree/graph_canvas.h"

class QGraphicsRectItem;

namespace astro::gui {

class StepGraphView : public GraphCanvas {
  Q_OBJECT
 public:
  explicit StepGraphView(QWidget* parent = nullptr);

  // Replaces the drawing; the layout's node ids are step indices.
  void showLayout(const graph::GraphLayout& layout);
  void clearGraph();
  // Outlines step `index` (-1: none) and scrolls it into view; emits nothing.
  void selectStep(int index);
  int selectedStep() const { return selected_; }
  int nodeCount() const { return static_cast<int>(nodes_.size()); }
  // Edges drawn dashed (backtracks and restarts).
  int dashedEdgeCount() const { return dashedEdges_; }
  int arrowHeadCount() const { return arrowHeads_; }
  // The node item of step `index`, for tests; nullptr when there is none.
  QGraphicsRectItem* nodeItem(int index) const;

 Q_SIGNALS:
  void stepClicked(int index);

 protected:
  void mousePressEvent(QMouseEvent* event) override;

 private:
  std::vector<QGraphicsRectItem*> nodes_;  // by step index
  int selected_ = -1;
  int dashedEdges_ = 0;
  int arrowHeads_ = 0;
};

}  // namespace astro::gui
