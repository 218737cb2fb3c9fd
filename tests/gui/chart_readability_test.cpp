// Charts that read well at any data (issue 23): axis ticks and labels formatted for their range
// (no "-0.0000"), a degenerate axis drawn as one tick with a note, titles and legends wrapped
// instead of cut, and Pearson legends in the figure's own words.
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QtTest>
#include <set>

#include "gui/charts/axis_ticks.h"
#include "gui/charts/chart_text.h"
#include "gui/charts/checkpoint_charts.h"
#include "gui/charts/pearson_legend.h"

using astro::gui::niceTicks;
using astro::gui::pearsonLegend;

class ChartReadabilityTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void ticks_coverTheDataWithNiceSteps() {
    auto ticks = niceTicks(0.31, 0.72);
    QCOMPARE(ticks.labels, (QStringList{"0.2", "0.4", "0.6", "0.8"}));
    QCOMPARE(ticks.low, 0.2);
    QVERIFY(qFuzzyCompare(ticks.high, 0.8));
    QVERIFY(!ticks.degenerate);
    auto steps = niceTicks(1, 456, 4, true);
    QCOMPARE(steps.labels, (QStringList{"0", "200", "400", "600"}));
    auto quarter = niceTicks(0, 1, 5);
    QCOMPARE(quarter.labels, (QStringList{"0.00", "0.25", "0.50", "0.75", "1.00"}));
  }

  void ticks_neverPrintMinusZero() {
    auto symmetric = niceTicks(-0.3, 0.3, 7);
    QVERIFY2(symmetric.labels.contains("0.0"), qPrintable(symmetric.labels.join(' ')));
    for (const auto& label : symmetric.labels) QVERIFY2(label != "-0.0", qPrintable(label));
  }

  void ticks_readTinyAndHugeRanges() {
    auto tiny = niceTicks(1.234e-7, 1.239e-7);
    QVERIFY(!tiny.degenerate);
    QCOMPARE(tiny.labels.size(), std::set<QString>(tiny.labels.begin(), tiny.labels.end()).size());
    QVERIFY2(tiny.labels.first().contains("e-07"), qPrintable(tiny.labels.join(' ')));
    auto narrow = niceTicks(0.5001, 0.5004);  // a tiny range away from 0: digits enough to differ
    QCOMPARE(narrow.labels.size(),
             std::set<QString>(narrow.labels.begin(), narrow.labels.end()).size());
    auto huge = niceTicks(0, 3.2e9);
    QVERIFY2(huge.labels.last().contains("e+09"), qPrintable(huge.labels.join(' ')));
  }

  void ticks_drawDegenerateAxisAsOneTickWithNote() {
    auto zero = niceTicks(0.0, 0.0);
    QVERIFY(zero.degenerate);
    QCOMPARE(zero.labels, QStringList{"0"});
    QCOMPARE(zero.values, std::vector<double>{0.0});
    QCOMPARE(zero.note, QStringLiteral("all values = 0"));
    QVERIFY(zero.low < 0 && zero.high > 0);
    auto constant = niceTicks(0.625, 0.625);
    QCOMPARE(constant.labels, QStringList{"0.625"});
    QCOMPARE(constant.note, QStringLiteral("all values = 0.625"));
    auto minusZero = niceTicks(-0.0, -0.0);
    QCOMPARE(minusZero.labels, QStringList{"0"});
  }

  void pearsonLegend_speaksTheFiguresWords() {
    QCOMPARE(pearsonLegend({0.0, 0.5, 1.0, 1.5, 2.0}, {0.62, 0.55, 0.58, 0.41, 0.40}, "backtracks",
                           "accuracy"),
             QStringLiteral("r = -0.91, 95% CI [-0.99, -0.14], n = 5"));
    QCOMPARE(pearsonLegend({0, 0, 0}, {0.3, 0.5, 0.7}, "backtracks", "accuracy"),
             QStringLiteral("r undefined (no variation in backtracks), n = 3"));
    QCOMPARE(pearsonLegend({1, 2, 3}, {0.5, 0.5, 0.5}, "length", "accuracy"),
             QStringLiteral("r undefined (no variation in accuracy), n = 3"));
    QCOMPARE(pearsonLegend({1, 2, 3}, {0.3, 0.5, 0.6}, "length", "accuracy"),
             QStringLiteral("r = 0.98, n = 3 (a 95% CI needs n ≥ 4)"));
    QCOMPARE(pearsonLegend({1}, {0.3}, "length", "accuracy"),
             QStringLiteral("r undefined (fewer than 2 checkpoints), n = 1"));
  }

  void fitChart_allZeroBacktracksDrawnAsSuchWithWrappedLegend() {
    QChart* chart = new QChart();
    QChartView view(chart);
    view.resize(240, 300);
    view.show();
    QString title = QStringLiteral(
        "Backtracks vs accuracy across checkpoints (world-test, runs' eval metrics)");
    QString legend = astro::gui::drawFitChart(
        chart, {0, 0, 0}, {0.3, 0.5, 0.7},
        {.title = QStringLiteral("mean backtracks per sample"), .quantity = "backtracks"}, title,
        {});
    QCOMPARE(legend, QStringLiteral("r undefined (no variation in backtracks), n = 3"));
    auto* x = qobject_cast<QCategoryAxis*>(chart->axes(Qt::Horizontal).value(0));
    QVERIFY(x);
    QCOMPARE(x->categoriesLabels(), QStringList{"0"});
    QCOMPARE(x->titleText(), QStringLiteral("mean backtracks per sample"));
    QVERIFY(x->min() < 0 && x->max() > 0);
    // Title and caption wrap onto lines at the chart's width instead of being cut.
    QTest::qWait(50);
    QCOMPARE(astro::gui::plainTitle(chart), title);
    QCOMPARE(astro::gui::plainCaption(chart),
             legend + QStringLiteral("\nmean backtracks per sample: all values = 0"));
    auto* titleItem = astro::gui::titleItem(chart);
    QVERIFY(titleItem && titleItem->isVisible());
    QFontMetricsF metrics(titleItem->font());
    QVERIFY(titleItem->boundingRect().height() > 2 * metrics.height());  // 3 lines at 240 px
    QVERIFY(titleItem->boundingRect().width() <= chart->size().width());
    QVERIFY(titleItem->toPlainText() == title);  // every word kept
    auto* captionItem = astro::gui::captionItem(chart);
    QVERIFY(captionItem->toPlainText().contains(legend));
    QVERIFY(captionItem->boundingRect().height() > 2 * metrics.height());
    QVERIFY(chart->plotArea().bottom() <= captionItem->pos().y());  // room was made for it
    QVERIFY(chart->plotArea().top() >= titleItem->boundingRect().height());
  }

  void wrapToHtml_breaksAtWordsAndEscapes() {
    QFont font;
    QFontMetricsF metrics(font);
    double width = metrics.horizontalAdvance("alpha beta") + 1;
    QCOMPARE(astro::gui::wrapToHtml("alpha beta gamma <delta>", font, width),
             QStringLiteral("alpha beta<br>gamma<br>&lt;delta&gt;"));
    QCOMPARE(astro::gui::wrapToHtml("short", font, 1000), QStringLiteral("short"));
  }
};

QTEST_MAIN(ChartReadabilityTest)
#include "chart_readability_test.moc"
