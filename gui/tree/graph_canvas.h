// A QGraphicsView for laid-out graphs (the search tree, the trace's step graph): wheel or
// Ctrl +/- zooms around the cursor, drag pans, F fits the scene, and the zoom level stays within
// sane bounds. addZoomActions puts the same Fit / Zoom in / Zoom out on a view's tool bar.
#pragma once

#include <QGraphicsView>

class QToolBar;

namespace astro::gui {

class GraphCanvas : public QGraphicsView {
  Q_OBJECT
 public:
  explicit GraphCanvas(QWidget* parent = nullptr);

  void zoomBy(double factor);
  void fitAll();
  double zoom() const { return transform().m11(); }
  // The zoom a fit may choose: at most `maximum` (a handful of nodes would fill the screen), at
  // least `minimum` (a tall step graph stays readable and scrolls instead).
  void setFitZoomRange(double minimum, double maximum);

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  // Until the user zooms or pans, the view keeps the whole graph in sight as it resizes.
  bool autoFit_ = true;
  double minFitZoom_ = 0.0;
  double maxFitZoom_ = 2.5;
};

// Adds Fit (F), Zoom in and Zoom out (the platform's zoom keys) for `canvas` to `tools`.
void addZoomActions(QToolBar* tools, GraphCanvas* canvas);

}  // namespace astro::gui
