// A QGraphicsView for laid-out graphs: wheel or Ctrl +/- zooms around the cursor, drag pans,
// F fits the scene, and the zoom level stays within sane bounds.
#pragma once

#include <QGraphicsView>

namespace astro::gui {

class GraphCanvas : public QGraphicsView {
  Q_OBJECT
 public:
  explicit GraphCanvas(QWidget* parent = nullptr);

  void zoomBy(double factor);
  void fitAll();
  double zoom() const { return transform().m11(); }

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  // Until the user zooms or pans, the view keeps the whole graph in sight as it resizes.
  bool autoFit_ = true;
  void keyPressEvent(QKeyEvent* event) override;
};

}  // namespace astro::gui
