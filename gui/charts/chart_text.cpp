// Wrapped chart titles and captions (chart_text.h).
#include "gui/charts/chart_text.h"

#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsTextItem>
#include <QTextDocument>
#include <QTextOption>

namespace astro::gui {
namespace {

constexpr int kRole = 0;  // QGraphicsItem::data key naming our items
constexpr char kTitle[] = "astroTitle";
constexpr char kCaption[] = "astroCaption";
constexpr char kPlainText[] = "astroPlainText";
constexpr double kSide = 8.0;  // px between the chart's edge and the text

QGraphicsTextItem* findItem(const QChart* chart, const char* role) {
  for (auto* child : chart->childItems()) {
    if (child->data(kRole).toString() == QLatin1String(role)) {
      return static_cast<QGraphicsTextItem*>(child);
    }
  }
  return nullptr;
}

QGraphicsTextItem* ensureItem(QChart* chart, const char* role) {
  if (auto* found = findItem(chart, role)) return found;
  auto* item = new QGraphicsTextItem(chart);
  item->setData(kRole, QString::fromLatin1(role));
  QTextOption option = item->document()->defaultTextOption();
  option.setAlignment(Qt::AlignHCenter);
  option.setWrapMode(QTextOption::WordWrap);
  item->document()->setDefaultTextOption(option);
  item->setZValue(10);
  return item;
}

}  // namespace

QString wrapToHtml(const QString& text, const QFont& font, double width) {
  QFontMetricsF metrics(font);
  QStringList lines;
  QString line;
  for (const auto& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
    QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
    if (!line.isEmpty() && metrics.horizontalAdvance(candidate) > width) {
      lines << line.toHtmlEscaped();
      line = word;
    } else {
      line = candidate;
    }
  }
  if (!line.isEmpty()) lines << line.toHtmlEscaped();
  return lines.join(QStringLiteral("<br>"));
}

void setWrappedTitle(QChart* chart, const QString& text) {
  chart->setTitle(QString());  // Qt's own title would be cut to one line
  auto* item = ensureItem(chart, kTitle);
  QFont font = chart->titleFont();
  font.setBold(true);
  item->setFont(font);
  item->setPlainText(text);
  item->setProperty(kPlainText, text);
  item->setVisible(!text.isEmpty());
  rewrapChartTexts(chart);
}

void setCaption(QChart* chart, const QString& html, const QString& plain) {
  auto* item = ensureItem(chart, kCaption);
  item->setFont(chart->legend()->font());
  item->setHtml(html);
  item->setProperty(kPlainText, plain);
  item->setVisible(!plain.isEmpty());
  rewrapChartTexts(chart);
}

QString plainTitle(const QChart* chart) {
  auto* item = findItem(chart, kTitle);
  return item ? item->property(kPlainText).toString() : chart->title();
}

QString plainCaption(const QChart* chart) {
  auto* item = findItem(chart, kCaption);
  return item ? item->property(kPlainText).toString() : QString();
}

QGraphicsTextItem* titleItem(const QChart* chart) { return findItem(chart, kTitle); }
QGraphicsTextItem* captionItem(const QChart* chart) { return findItem(chart, kCaption); }

void rewrapChartTexts(QChart* chart) {
  QSizeF size = chart->size();
  if (size.width() <= 0) size = QSizeF(400, 300);  // laid out again on the first resize
  double textWidth = std::max(40.0, size.width() - 2 * kSide);
  QMargins margins = chart->margins();
  int top = 6, bottom = 6;
  if (auto* title = findItem(chart, kTitle); title && title->isVisible()) {
    title->setTextWidth(textWidth);
    title->setPos(kSide, 2);
    top = static_cast<int>(title->boundingRect().height()) + 2;
  }
  if (auto* caption = findItem(chart, kCaption); caption && caption->isVisible()) {
    caption->setTextWidth(textWidth);
    double height = caption->boundingRect().height();
    caption->setPos(kSide, size.height() - height - 2);
    bottom = static_cast<int>(height) + 2;
  }
  QMargins wanted(margins.left(), top, margins.right(), bottom);
  if (wanted != margins) chart->setMargins(wanted);
}

WrappingChartView::WrappingChartView(QChart* chart, QWidget* parent) : QChartView(chart, parent) {
  setRenderHint(QPainter::Antialiasing);
}

void WrappingChartView::resizeEvent(QResizeEvent* event) {
  QChartView::resizeEvent(event);
  if (chart()) rewrapChartTexts(chart());
}

}  // namespace astro::gui
