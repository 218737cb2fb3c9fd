// The grid of the training-curve panel: one group per stage (a header, then that stage's metric
// charts in as many columns as the width allows), filled from prepared MetricPlots a few charts
// per turn of the event loop so that no single event holds the GUI thread for long, and filtered
// by a regular expression on the metric names without redrawing anything.
#pragma once

#include <QRegularExpression>
#include <QTimer>
#include <QWidget>
#include <map>
#include <memory>
#include <vector>

#include "gui/charts/curve_plots.h"
#include "gui/charts/figure_export.h"

class QGridLayout;
class QLabel;
class QVBoxLayout;

namespace astro::gui {

class MetricChart;

class CurvesGrid : public QWidget {
  Q_OBJECT
 public:
  explicit CurvesGrid(QWidget* parent = nullptr);

  // Shows `plots`: reuses the charts of metrics already shown, creates and drops the others.
  // Emits applied() once every chart holds its plot.
  void showPlots(std::shared_ptr<const MetricPlots> plots);
  // Charts whose metric does not match are hidden; the others close ranks.
  void setFilter(const QRegularExpression& filter);
  bool isApplying() const { return passTimer_.isActive(); }

  // What is shown once the current pass is done (tests and exports ask this, not the widgets).
  int visibleChartCount() const;
  QStringList visibleMetrics() const;  // in display order
  QStringList visibleStages() const;
  MetricChart* chartFor(const QString& metric) const;
  std::vector<FigureGroup> figureGroups() const;  // the visible charts, by group
  int columns() const { return columns_; }

 Q_SIGNALS:
  void applied();
  void chartExportRequested(const QString& what, const QString& path,
                            const astro::gui::ChartFile& file);
  void chartExportFailed(const QString& message);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Group {
    QString stage;
    QLabel* header = nullptr;
    QWidget* body = nullptr;
    QGridLayout* grid = nullptr;
    int total = 0;   // metrics of the stage
    int placed = 0;  // charts placed by the current pass
  };
  void rebuildGroups();
  // A pass walks the metrics in display order, a time budget per turn of the event loop: applies
  // plots not yet applied, puts matching charts in the next cell of their group, hides the rest.
  // Showing a chart view costs ~6 ms (measured), so 30 at once would hold the GUI thread.
  void startPass();
  void passSome();
  void finishPass();
  Group* groupOf(const QString& stage);
  bool shown(const QString& metric) const;

  QVBoxLayout* layout_ = nullptr;
  std::vector<Group> groups_;
  std::map<QString, MetricChart*> charts_;
  std::shared_ptr<const MetricPlots> plots_;
  std::size_t applied_ = 0;  // plots_->metrics[0, applied_) are in their charts
  std::size_t cursor_ = 0;   // the pass' next metric
  bool announce_ = false;    // emit applied() when this pass ends
  QTimer passTimer_;
  QRegularExpression filter_;
  int columns_ = 3;
};

}  // namespace astro::gui
