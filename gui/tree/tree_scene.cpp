#include "gui/tree/tree_scene.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsPathItem>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QPen>
#include <QStringList>
#include <algorithm>
#include <cmath>

#include "gui/tree/graph_arrow.h"

namespace astro::gui {
namespace {

// Text on nodes and edges only where it stays readable and cheap to draw; a step's first words
// beside its node only where neighbours leave room for them.
constexpr int kLabelNodeLimit = 300;
constexpr int kWordsNodeLimit = 40;
constexpr double kPathZ = 3.0;

double nodeDiameter(int visits) {
  return std::min(44.0, 10.0 + 4.0 * std::log2(1.0 + std::max(0, visits)));
}

// Nodes are drawn as circles at the layout's centres (not as the label boxes Graphviz routed
// its splines around), so an edge runs centre to centre as a vertical S-curve.
QPainterPath edgePath(const graph::LayoutNode& parent, const graph::LayoutNode& child) {
  QPainterPath path(QPointF(parent.x, parent.y));
  double middle = (parent.y + child.y) / 2;
  path.cubicTo(parent.x, middle, child.x, middle, child.x, child.y);
  return path;
}

// The first `words` words of `text` on one line, at most `characters` long, "…" when cut.
QString firstWords(const std::string& text, int words, int characters) {
  const QStringList all = QString::fromStdString(text).simplified().split(QLatin1Char(' '));
  QString head = all.mid(0, words).join(QLatin1Char(' '));
  bool cut = all.size() > words;
  if (head.size() > characters) {
    head = head.left(characters);
    cut = true;
  }
  return cut ? head + QStringLiteral("…") : head;
}

}  // namespace

TreeScene::TreeScene(QObject* parent) : QGraphicsScene(parent) {
  setItemIndexMethod(QGraphicsScene::BspTreeIndex);
}

void TreeScene::showLayout(graph::GraphLayout layout, search::NodeSequence path,
                           NodeColoring coloring, const search::SearchTree* tree) {
  clear();
  nodes_.clear();
  children_.clear();
  edgeItems_.clear();
  pathItems_.clear();
  collapsed_.clear();
  layout_ = std::move(layout);
  coloring_ = coloring;
  const bool labels = layout_.shownNodes <= kLabelNodeLimit;

  minValue_ = 0.0;
  maxValue_ = 0.0;
  for (std::size_t i = 0; i < layout_.nodes.size(); ++i) {
    double value = layout_.nodes[i].value;
    minValue_ = i == 0 ? value : std::min(minValue_, value);
    maxValue_ = i == 0 ? value : std::max(maxValue_, value);
  }

  std::unordered_map<int, const graph::LayoutNode*> byId;
  for (const auto& node : layout_.nodes) byId[node.id] = &node;

  // Cosmetic pens keep lines one pixel wide at any zoom: a fitted 2,000-node tree is wide.
  QPen edgePen(QColor(150, 150, 150), 1.0);
  edgePen.setCosmetic(true);
  for (const auto& edge : layout_.edges) {
    if (!byId.count(edge.from) || !byId.count(edge.to)) continue;
    const auto& parent = *byId[edge.from];
    const auto& child = *byId[edge.to];
    auto* item = addPath(edgePath(parent, child), edgePen);
    item->setZValue(0);
    edgeItems_.emplace_back(item, edge.to);
    children_[edge.from].push_back(edge.to);
    if (labels) {
      auto* text = addSimpleText(QStringLiteral("Q=%1").arg(child.value, 0, 'f', 2));
      text->setBrush(QColor(90, 90, 90));
      text->setScale(0.7);
      text->setPos((parent.x + child.x) / 2 + 4, (parent.y + child.y) / 2 - 6);
      edgeItems_.emplace_back(text, edge.to);
    }
  }

  for (const auto& node : layout_.nodes) addNode(node, labels, tree);

  // The linearized path in trace order: each move is an arrow between consecutive nodes, bowed
  // to the side so it stays distinct from the tree edge it follows.
  for (std::size_t i = 1; i < path.steps.size(); ++i) {
    auto from = nodes_.find(path.steps[i - 1].node);
    auto to = nodes_.find(path.steps[i].node);
    if (from == nodes_.end() || to == nodes_.end()) continue;
    QPointF a = from->second->pos();
    QPointF b = to->second->pos();
    bool isReturn = path.steps[i].move != search::Move::kForward;
    QPointF normal(-(b.y() - a.y()), b.x() - a.x());
    double length = std::hypot(normal.x(), normal.y());
    if (length > 0) normal /= length;
    QPainterPath curve(a);
    curve.quadTo((a + b) / 2 + normal * (isReturn ? 40.0 : 12.0), b);
    QPen pen(isReturn ? QColor(200, 60, 160) : QColor(240, 140, 0), 2.5);
    pen.setCosmetic(true);
    if (isReturn) pen.setStyle(Qt::DashLine);
    auto* item = addPath(curve, pen);
    item->setZValue(kPathZ);
    // Heads where a tree is seen node by node; zoomed out on a large tree they would blot it. They
    // stop at the node's rim.
    if (labels) addArrowHead(item, 9.0, to->second->rect().width() / 2);
    item->setToolTip(QStringLiteral("%1. %2 to #%3")
                         .arg(i)
                         .arg(QString::fromUtf8(search::moveName(path.steps[i].move).data()))
                         .arg(path.steps[i].node));
    pathItems_.push_back(item);
  }
  setSceneRect(itemsBoundingRect().adjusted(-40, -40, 40, 40));
}

void TreeScene::addNode(const graph::LayoutNode& node, bool labels,
                        const search::SearchTree* tree) {
  // Large trees: diameters in screen pixels (the items ignore the zoom), a quarter the size.
  double diameter = labels ? nodeDiameter(node.visits) : nodeDiameter(node.visits) / 4 + 2;
  QPen outline(QColor(60, 60, 60), 0.8);
  outline.setCosmetic(true);
  auto* item = addEllipse(-diameter / 2, -diameter / 2, diameter, diameter, outline,
                          QBrush(nodeColor(node)));
  item->setPos(node.x, node.y);
  // Large trees are seen zoomed out: their nodes keep their size in pixels so they stay dots.
  if (!labels) item->setFlag(QGraphicsItem::ItemIgnoresTransformations);
  item->setZValue(1);
  item->setFlag(QGraphicsItem::ItemIsSelectable);
  item->setData(kNodeIdKey, node.id);
  const bool hasStep = tree && tree->contains(node.id) && node.id != 0;
  const std::string& step = hasStep ? tree->node(node.id).text : tree ? tree->problem() : "";
  QString tip =
      QStringLiteral("#%1  N=%2  Q=%3").arg(node.id).arg(node.visits).arg(node.value, 0, 'f', 3);
  if (!step.empty()) tip = firstWords(step, 16, 120) + QLatin1Char('\n') + tip;
  item->setToolTip(tip);
  nodes_[node.id] = item;
  if (!labels) return;
  QString label = QString::number(node.id);
  if (layout_.shownNodes <= kWordsNodeLimit && !step.empty()) {
    label += QStringLiteral(" ") + firstWords(step, 4, 28);
  }
  auto* text = new QGraphicsSimpleTextItem(label, item);
  text->setScale(0.7);
  text->setPos(diameter / 2 + 1, -6);
}

int TreeScene::dashedPathSegmentCount() const {
  return static_cast<int>(std::count_if(pathItems_.begin(), pathItems_.end(), [](auto* item) {
    return item->pen().style() == Qt::DashLine;
  }));
}

QColor TreeScene::nodeColor(const graph::LayoutNode& node) const {
  if (coloring_ == NodeColoring::kValue) {
    double span = maxValue_ - minValue_;
    double t = span > 0 ? (node.value - minValue_) / span : 0.5;
    // Blue (low Q) to orange (high Q).
    return QColor::fromRgbF(0.15 + 0.8 * t, 0.35 + 0.25 * t, 0.85 - 0.75 * t);
  }
  if (node.correct.has_value()) return *node.correct ? QColor(60, 170, 80) : QColor(210, 60, 50);
  if (node.terminal) return QColor(120, 120, 120);
  return QColor(215, 215, 215);
}

void TreeScene::setColoring(NodeColoring coloring) {
  coloring_ = coloring;
  for (const auto& node : layout_.nodes) {
    if (auto* item = nodeItem(node.id)) item->setBrush(nodeColor(node));
  }
}

void TreeScene::setPathVisible(bool visible) {
  for (auto* item : pathItems_) item->setVisible(visible);
}

QGraphicsEllipseItem* TreeScene::nodeItem(int id) const {
  auto found = nodes_.find(id);
  return found == nodes_.end() ? nullptr : found->second;
}

int TreeScene::selectedNode() const {
  for (auto* item : selectedItems()) {
    if (item->data(kNodeIdKey).isValid()) return item->data(kNodeIdKey).toInt();
  }
  return -1;
}

void TreeScene::selectNode(int id) {
  clearSelection();
  if (auto* item = nodeItem(id)) item->setSelected(true);
}

bool TreeScene::isNodeVisible(int id) const {
  auto* item = nodeItem(id);
  return item && item->isVisible();
}

void TreeScene::toggleCollapsed(int id) {
  if (!children_.count(id)) return;
  if (!collapsed_.erase(id)) collapsed_.insert(id);
  if (auto* item = nodeItem(id)) {
    QPen outline(QColor(60, 60, 60), collapsed_.count(id) ? 3 : 0.8);
    outline.setCosmetic(true);
    item->setPen(outline);
  }
  applyVisibility();
}

void TreeScene::applyVisibility() {
  // Hidden: every node below a collapsed one. One pass from the root in layout order suffices
  // because parents precede children in a depth-first walk.
  std::set<int> hidden;
  std::vector<int> stack;
  for (int id : collapsed_) {
    for (int child : children_[id]) stack.push_back(child);
  }
  while (!stack.empty()) {
    int id = stack.back();
    stack.pop_back();
    if (!hidden.insert(id).second) continue;
    auto found = children_.find(id);
    if (found != children_.end())
      stack.insert(stack.end(), found->second.begin(), found->second.end());
  }
  for (auto& [id, item] : nodes_) item->setVisible(!hidden.count(id));
  for (auto& [item, to] : edgeItems_) item->setVisible(!hidden.count(to));
}

void TreeScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
  for (auto* item : items(event->scenePos())) {
    if (item->data(kNodeIdKey).isValid()) {
      toggleCollapsed(item->data(kNodeIdKey).toInt());
      event->accept();
      return;
    }
  }
  QGraphicsScene::mouseDoubleClickEvent(event);
}

}  // namespace astro::gui
