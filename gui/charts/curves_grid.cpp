// The small-multiples grid (curves_grid.h).
#include "gui/charts/curves_grid.h"

#include <QElapsedTimer>
#include <QGridLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QVBoxLayout>

#include "gui/charts/metric_chart.h"

namespace astro::gui {
namespace {

constexpr int kMinChartWidth = 340;
constexpr int kChartHeight = 250;
constexpr int kCompactHeight = 170;  // a metric logged once per run: a few points, no curve
// A pass works until this much of a turn of the event loop is used, then hands it back (issue
// 23's bar: no event over 100 ms; the layout and paint that follow need their share).
constexpr int kPassBudgetMs = 12;

}  // namespace

CurvesGrid::CurvesGrid(QWidget* parent) : QWidget(parent) {
  layout_ = new QVBoxLayout(this);
  layout_->setContentsMargins(4, 4, 4, 4);
  layout_->addStretch(1);
  passTimer_.setInterval(0);
  connect(&passTimer_, &QTimer::timeout, this, &CurvesGrid::passSome);
}

void CurvesGrid::showPlots(std::shared_ptr<const MetricPlots> plots) {
  plots_ = std::move(plots);
  applied_ = 0;
  announce_ = true;
  rebuildGroups();
  startPass();
}

void CurvesGrid::rebuildGroups() {
  // Keep the groups when the stages are the same; charts are matched by metric name.
  std::vector<QString> stages;
  std::map<QString, int> totals;
  for (const auto& plot : plots_->metrics) {
    if (stages.empty() || stages.back() != plot.stage) stages.push_back(plot.stage);
    ++totals[plot.stage];
  }
  std::map<QString, MetricChart*> kept;
  for (const auto& plot : plots_->metrics) {
    if (auto found = charts_.find(plot.metric); found != charts_.end()) {
      kept.insert(*found);
      charts_.erase(found);
    }
  }
  for (auto& [metric, chart] : charts_) delete chart;  // no longer among the metrics
  charts_ = std::move(kept);
  bool same = stages.size() == groups_.size();
  for (std::size_t i = 0; same && i < stages.size(); ++i) same = groups_[i].stage == stages[i];
  if (!same) {
    for (auto& [metric, chart] : charts_) chart->setParent(this);  // out of the old bodies
    for (auto& group : groups_) {
      delete group.header;
      delete group.body;
    }
    groups_.clear();
    for (const auto& stage : stages) {
      Group group{.stage = stage};
      group.header = new QLabel(this);
      group.header->setObjectName(QStringLiteral("stageHeader:") + stage);
      QFont font = group.header->font();
      font.setBold(true);
      font.setPointSizeF(font.pointSizeF() * 1.15);
      group.header->setFont(font);
      group.body = new QWidget(this);
      group.grid = new QGridLayout(group.body);
      group.grid->setContentsMargins(0, 0, 0, 8);
      group.grid->setSpacing(6);
      layout_->insertWidget(layout_->count() - 1, group.header);
      layout_->insertWidget(layout_->count() - 1, group.body);
      groups_.push_back(group);
    }
  }
  for (auto& group : groups_) group.total = totals[group.stage];
}

void CurvesGrid::startPass() {
  if (!plots_) return;
  cursor_ = 0;
  for (auto& group : groups_) {
    group.placed = 0;
    // Out of the grid, not hidden: a chart stays where it is until the pass reaches it.
    for (const auto& [metric, chart] : charts_) group.grid->removeWidget(chart);
    for (int column = 0; column < std::max(columns_, group.grid->columnCount()); ++column) {
      group.grid->setColumnStretch(column, column < columns_ ? 1 : 0);
    }
  }
  passTimer_.start();
  passSome();  // the first share now, so a filter narrows at once
}

CurvesGrid::Group* CurvesGrid::groupOf(const QString& stage) {
  for (auto& group : groups_) {
    if (group.stage == stage) return &group;
  }
  return nullptr;
}

void CurvesGrid::passSome() {
  QElapsedTimer clock;
  clock.start();
  bool appliedOne = false;
  while (cursor_ < plots_->metrics.size() && clock.elapsed() < kPassBudgetMs) {
    // One new plot per turn: Qt Charts finishes a chart's update in posted events that follow
    // (~40 ms for 20 lines here), and those of several charts would run back to back.
    if (appliedOne && cursor_ >= applied_) break;
    const auto& plot = plots_->metrics[cursor_];
    auto found = charts_.find(plot.metric);
    MetricChart* chart = found != charts_.end() ? found->second : nullptr;
    if (!chart) {
      chart = new MetricChart(plot.metric, this);
      chart->hide();
      connect(chart, &MetricChart::exportRequested, this, &CurvesGrid::chartExportRequested);
      connect(chart, &MetricChart::exportFailed, this, &CurvesGrid::chartExportFailed);
      charts_[plot.metric] = chart;
    }
    if (cursor_ >= applied_) {
      chart->setPlot(plot, *plots_);
      // Fixed, so rows never stretch: a resize re-lays out every line of a chart.
      chart->setFixedHeight(chart->isSinglePoint() ? kCompactHeight : kChartHeight);
      applied_ = cursor_ + 1;
      appliedOne = true;
    }
    Group* group = groupOf(plot.stage);
    if (group && shown(plot.metric)) {
      group->grid->addWidget(chart, group->placed / columns_, group->placed % columns_);
      ++group->placed;
      if (!group->body->isVisible()) group->body->show();
      if (!group->header->isVisible()) group->header->show();
      if (chart->isHidden()) chart->show();
    } else if (!chart->isHidden()) {
      chart->hide();
    }
    ++cursor_;
  }
  if (cursor_ >= plots_->metrics.size()) finishPass();
}

void CurvesGrid::finishPass() {
  passTimer_.stop();
  for (auto& group : groups_) {
    QString metrics = group.total == 1 ? tr("metric") : tr("metrics");
    group.header->setText(group.placed == group.total
                              ? tr("%1 · %2 %3").arg(group.stage).arg(group.total).arg(metrics)
                              : tr("%1 · %2 of %3 %4")
                                    .arg(group.stage)
                                    .arg(group.placed)
                                    .arg(group.total)
                                    .arg(metrics));
    group.header->setVisible(group.placed > 0);
    group.body->setVisible(group.placed > 0);
  }
  if (announce_) {
    announce_ = false;
    Q_EMIT applied();
  }
}

bool CurvesGrid::shown(const QString& metric) const {
  return !filter_.isValid() || filter_.pattern().isEmpty() || filter_.match(metric).hasMatch();
}

void CurvesGrid::setFilter(const QRegularExpression& filter) {
  filter_ = filter;
  startPass();
}

void CurvesGrid::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  int columns = std::max(1, event->size().width() / kMinChartWidth);
  if (columns == columns_) return;
  columns_ = columns;
  startPass();
}

int CurvesGrid::visibleChartCount() const { return static_cast<int>(visibleMetrics().size()); }

QStringList CurvesGrid::visibleMetrics() const {
  QStringList metrics;
  if (!plots_) return metrics;
  for (std::size_t i = 0; i < applied_ && i < plots_->metrics.size(); ++i) {
    if (shown(plots_->metrics[i].metric)) metrics << plots_->metrics[i].metric;
  }
  return metrics;
}

QStringList CurvesGrid::visibleStages() const {
  QStringList stages;
  if (!plots_) return stages;
  for (std::size_t i = 0; i < applied_ && i < plots_->metrics.size(); ++i) {
    const auto& plot = plots_->metrics[i];
    if (shown(plot.metric) && !stages.contains(plot.stage)) stages << plot.stage;
  }
  return stages;
}

MetricChart* CurvesGrid::chartFor(const QString& metric) const {
  auto found = charts_.find(metric);
  return found == charts_.end() ? nullptr : found->second;
}

std::vector<FigureGroup> CurvesGrid::figureGroups() const {
  std::vector<FigureGroup> figure;
  for (const auto& group : groups_) {
    FigureGroup out{.title = group.header->text()};
    for (const auto& metric : visibleMetrics()) {
      auto* chart = chartFor(metric);
      if (chart->stage() == group.stage) out.charts.push_back(chart->chart());
    }
    if (!out.charts.empty()) figure.push_back(std::move(out));
  }
  return figure;
}

}  // namespace astro::gui
