// Chart titles and captions that wrap onto more lines instead of being cut ("95% CI [n/a, ..."):
// Qt Charts elides its own title, legend labels and axis titles to one line, so these are text
// items of our own on the chart, laid out for its current width (the chart's margins make room
// for them) whenever the view is resized or the chart is exported at another size. A caption
// sits under the plot: the Pearson statistics, notes on what the axes cannot say.
#pragma once

#include <QChartView>
#include <QString>

class QChart;
class QFont;
class QGraphicsTextItem;

namespace astro::gui {

// Greedy word wrap of plain `text` to `width` pixels of `font`, as escaped HTML lines joined by
// <br>; a word longer than the width gets a line of its own.
QString wrapToHtml(const QString& text, const QFont& font, double width);

// The chart's title (bold, centred) above the plot; replaces QChart::setTitle.
void setWrappedTitle(QChart* chart, const QString& text);
// Under the plot; `html` may hold a coloured swatch, `plain` is its text for tests and exports.
void setCaption(QChart* chart, const QString& html, const QString& plain);
QString plainTitle(const QChart* chart);
QString plainCaption(const QChart* chart);
QGraphicsTextItem* titleItem(const QChart* chart);    // nullptr when none
QGraphicsTextItem* captionItem(const QChart* chart);  // nullptr when none
// Lays the title and caption out for the chart's current width and makes room for them.
void rewrapChartTexts(QChart* chart);

// A chart view that re-wraps its chart's texts when resized.
class WrappingChartView : public QChartView {
 public:
  explicit WrappingChartView(QChart* chart, QWidget* parent = nullptr);

 protected:
  void resizeEvent(QResizeEvent* event) override;
};

}  // namespace astro::gui
