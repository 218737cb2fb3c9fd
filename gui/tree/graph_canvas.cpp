#include "gui/tree/graph_canvas.h"

#include <QAction>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QToolBar>
#include <QWheelEvent>
#include <algorithm>
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

void GraphCanvas::setFitZoomRange(double minimum, double maximum) {
  minFitZoom_ = minimum;
  maxFitZoom_ = maximum;
}

void GraphCanvas::fitAll() {
  if (!scene()) return;
  QRectF bounds = scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20);
  fitInView(bounds, Qt::KeepAspectRatio);
  double clamped = std::clamp(zoom(), minFitZoom_, maxFitZoom_);
  if (clamped != zoom()) {
    setTransform(QTransform::fromScale(clamped, clamped));
    if (clamped == minFitZoom_) centerOn(bounds.center().x(), bounds.top());  // read from the top
  }
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

void addZoomActions(QToolBar* tools, GraphCanvas* canvas) {
  QAction* fit = tools->addAction(QObject::tr("Fit"), canvas, &GraphCanvas::fitAll);
  fit->setToolTip(QObject::tr("Fit the graph in the view (F)"));
  QAction* in =
      tools->addAction(QObject::tr("Zoom in"), canvas, [canvas] { canvas->zoomBy(1.25); });
  in->setToolTip(QObject::tr("Zoom in (wheel up, Ctrl++)"));
  QAction* out =
      tools->addAction(QObject::tr("Zoom out"), canvas, [canvas] { canvas->zoomBy(0.8); });
  out->setToolTip(QObject::tr("Zoom out (wheel down, Ctrl+-)"));
}

}  // namespace astro::gui
