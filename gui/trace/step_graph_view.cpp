#include "gui/trace/step_graph_view.h"

#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QMouseEvent>
#include <QPainterPath>
#include <algorithm>

#include "gui/tree/graph_arrow.h"

namespace astro::gui {
namespace {

constexpr int kStepKey = 0;

QColor roleColor(const std::string& role) {
  if (role == "backtrack") return QColor(255, 205, 205);
  if (role == "restart") return QColor(225, 208, 255);
  if (role == "reflection") return QColor(255, 243, 190);
  return QColor(232, 238, 246);
}

QPen edgePen(const std::string& kind) {
  QPen pen(QColor(120, 120, 120), 1.2);
  if (kind == "backtracks") {
    pen = QPen(QColor(200, 40, 40), 1.8, Qt::DashLine);
  } else if (kind == "restarts") {
    pen = QPen(QColor(130, 60, 200), 1.8, Qt::DashLine);
  } else if (kind == "reflects") {
    pen.setStyle(Qt::DotLine);
  }
  pen.setCosmetic(true);
  return pen;
}

QPainterPath splinePath(const graph::LayoutEdge& edge) {
  QPainterPath path;
  if (edge.spline.empty()) return path;
  path.moveTo(edge.spline[0].x, edge.spline[0].y);
  std::size_t i = 1;
  for (; i + 2 < edge.spline.size(); i += 3) {
    path.cubicTo(edge.spline[i].x, edge.spline[i].y, edge.spline[i + 1].x, edge.spline[i + 1].y,
                 edge.spline[i + 2].x, edge.spline[i + 2].y);
  }
  for (; i < edge.spline.size(); ++i) path.lineTo(edge.spline[i].x, edge.spline[i].y);
  if (edge.arrowTip) path.lineTo(edge.arrowTip->x, edge.arrowTip->y);
  return path;
}

}  // namespace

StepGraphView::StepGraphView(QWidget* parent) : GraphCanvas(parent) {
  setObjectName("traceStepGraph");
  setScene(new QGraphicsScene(this));
  setFitZoomRange(0.5, 1.5);
}

void StepGraphView::clearGraph() {
  scene()->clear();
  nodes_.clear();
  selected_ = -1;
  dashedEdges_ = 0;
  arrowHeads_ = 0;
}

void StepGraphView::showLayout(const graph::GraphLayout& layout) {
  clearGraph();
  for (const auto& edge : layout.edges) {
    QPen pen = edgePen(edge.kind);
    if (pen.style() == Qt::DashLine) ++dashedEdges_;
    auto* item = scene()->addPath(splinePath(edge), pen);
    item->setZValue(0);
    if (addArrowHead(item, 8.0)) ++arrowHeads_;
    item->setToolTip(QStringLiteral("#%1 %2 #%3")
                         .arg(edge.from)
                         .arg(QString::fromStdString(edge.kind))
                         .arg(edge.to));
  }
  int count = 0;
  for (const auto& node : layout.nodes) count = std::max(count, node.id + 1);
  nodes_.assign(static_cast<std::size_t>(count), nullptr);
  for (const auto& node : layout.nodes) {
    QPen outline(QColor(90, 90, 90), 0.8);
    outline.setCosmetic(true);
    auto* item = scene()->addRect(-node.width / 2, -node.height / 2, node.width, node.height,
                                  outline, QBrush(roleColor(node.role)));
    item->setPos(node.x, node.y);
    item->setZValue(1);
    item->setData(kStepKey, node.id);
    QString label = QString::fromStdString(node.label);
    item->setToolTip(label);
    auto* text = new QGraphicsSimpleTextItem(label, item);
    QFont font = text->font();
    font.setPointSizeF(8);
    text->setFont(font);
    QRectF bounds = text->boundingRect();
    double scale = std::min({1.0, (node.width - 6) / std::max(1.0, bounds.width()),
                             (node.height - 4) / std::max(1.0, bounds.height())});
    text->setScale(scale);
    text->setPos(-bounds.width() * scale / 2, -bounds.height() * scale / 2);
    nodes_[static_cast<std::size_t>(node.id)] = item;
  }
  scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20));
  fitAll();
}

QGraphicsRectItem* StepGraphView::nodeItem(int index) const {
  if (index < 0 || index >= static_cast<int>(nodes_.size())) return nullptr;
  return nodes_[static_cast<std::size_t>(index)];
}

void StepGraphView::selectStep(int index) {
  if (auto* old = nodeItem(selected_)) {
    QPen outline(QColor(90, 90, 90), 0.8);
    outline.setCosmetic(true);
    old->setPen(outline);
  }
  selected_ = nodeItem(index) ? index : -1;
  if (auto* item = nodeItem(selected_)) {
    QPen outline(QColor(20, 100, 220), 3.0);
    outline.setCosmetic(true);
    item->setPen(outline);
    ensureVisible(item);
  }
}

void StepGraphView::mousePressEvent(QMouseEvent* event) {
  for (auto* item : items(event->pos())) {
    QVariant step = item->data(kStepKey);
    if (!step.isValid() && item->parentItem()) step = item->parentItem()->data(kStepKey);
    if (step.isValid()) {
      selectStep(step.toInt());
      Q_EMIT stepClicked(step.toInt());
      return;
    }
  }
  GraphCanvas::mousePressEvent(event);
}

}  // namespace astro::gui
