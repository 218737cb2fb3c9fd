#include "gui/tree/graph_canvas.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <cmath>

namespace astro::gui {

GraphCanvas::GraphCanvas(QWidget* parent) : QGraphicsView(parent) {
  setDragMode(QGraphicsView::ScrollHandDrag);
  setRenderHint(QPainter::Antialiasing);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
  // Thousands of items: an index makes hit tests and exposes logarithmic.
  setOptimizationFlags(QGraphicsView::DontSavePainterState);
}

void GraphCanvas::zoomBy(double factor) {
  autoFit_ = false;
  double next = zoom() * factor;
  if (next < 0.01 || next > 40.0) return;
  scale(factor, factor);
}

void GraphCanvas::fitAll() {
  if (!scene()) return;
  fitInView(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20), Qt::KeepAspectRatio);
  // A handful of nodes would fill the screen: keep them at most at 2.5x.
  constexpr double kMaxFitZoom = 2.5;
  if (zoom() > kMaxFitZoom) setTransform(QTransform::fromScale(kMaxFitZoom, kMaxFitZoom));
  autoFit_ = true;
}

void GraphCanvas::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  if (autoFit_) fitAll();
}

void GraphCanvas::showEvent(QShowEvent* event) {
  QGraphicsView::showEvent(event);
  if (autoFit_) fitAll();
}

void GraphCanvas::mousePressEvent(QMouseEvent* event) {
  QGraphicsView::mousePressEvent(event);
  if (event->button() == Qt::LeftButton && !itemAt(event->pos())) autoFit_ = false;
}

void GraphCanvas::wheelEvent(QWheelEvent* event) {
  double steps = event->angleDelta().y() / 120.0;
  if (steps == 0) return;
  zoomBy(std::pow(1.2, steps));
  event->accept();
}

void GraphCanvas::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_F && event->modifiers() == Qt::NoModifier) {
    fitAll();
  } else if ((event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) &&
             event->modifiers().testFlag(Qt::ControlModifier)) {
    zoomBy(1.25);
  } else if (event->key() == Qt::Key_Minus && event->modifiers().testFlag(Qt::ControlModifier)) {
    zoomBy(0.8);
  } else {
    QGraphicsView::keyPressEvent(event);
  }
}

}  // namespace astro::gui
