// Arrowheads for drawn edges (graph_arrow.h).
#include "gui/tree/graph_arrow.h"

#include <QBrush>
#include <QGraphicsPathItem>
#include <QGraphicsPolygonItem>
#include <QPen>
#include <QPolygonF>
#include <algorithm>

namespace astro::gui {

QGraphicsPolygonItem* addArrowHead(QGraphicsPathItem* edge, double pixels, double backOff) {
  const QPainterPath& path = edge->path();
  double length = path.length();
  if (length <= 0) return nullptr;
  double tipPercent = path.percentAtLength(std::max(0.0, length - backOff));
  // The direction just before the tip; angleAtPercent counts degrees counter-clockwise with y up.
  double angle = path.angleAtPercent(std::max(0.0, tipPercent - 0.001));
  QPolygonF triangle{{0, 0}, {-pixels, -pixels * 0.45}, {-pixels, pixels * 0.45}};
  auto* head = new QGraphicsPolygonItem(triangle, edge);
  head->setPen(Qt::NoPen);
  head->setBrush(edge->pen().color());
  head->setPos(path.pointAtPercent(tipPercent));
  head->setRotation(-angle);
  head->setFlag(QGraphicsItem::ItemIgnoresTransformations);
  return head;
}

}  // namespace astro::gui
