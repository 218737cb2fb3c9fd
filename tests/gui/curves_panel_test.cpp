// The training-curve small multiples (gui/charts/curves_panel.h) over a real workspace written
// with core/store: one chart per metric grouped by stage in pipeline order, each with its own
// ranges; the regular-expression filter (an invalid one reported); exact EMA values; the runs'
// colours; min/max downsampling; relative time from metric events; hover text; exports of one
// chart and of the whole panel; superseded reads dropped; a read error shown in place.
#include "gui/charts/curves_panel.h"

#include <QCategoryAxis>
#include <QChart>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QScrollArea>
#include <QThread>
#include <QtTest>

#include "core/base/workspace_paths.h"
#include "core/store/workspace.h"
#include "gui/charts/checkpoint_points.h"
#include "gui/charts/curve_plots.h"
#include "gui/charts/metric_chart.h"
#include "gui/common/export_progress.h"
#include "gui/common/run_colors.h"
#include "tests/support/test_support.h"

using namespace astro;
using gui::CurveAxis;
using gui::CurvesPanel;

namespace {

// Run 1 "base-run": pretrain-base/loss over 2,750 steps, sft/loss over 456, rl/reward and
// rl/backtracks (all 0) over 8 RL steps, eval/accuracy (a checkpoint metric); rl/reward also
// logged as metric events (times). Run 2 "knob-run": the same names without events, smaller loss.
std::filesystem::path makeWorkspace() {
  auto dir = test::freshTempDir("curves-panel");
  auto workspace = store::Workspace::open(dir);
  for (int r = 1; r <= 2; ++r) {
    auto run = workspace.runs().create({.name = r == 1 ? "base-run" : "knob-run"});
    // Stages in pipeline order; metric names sort rl < sft, the groups must not.
    auto pretrain = workspace.stages().add(run.id, "pretrain-base");
    auto sft = workspace.stages().add(run.id, "sft");
    auto rl = workspace.stages().add(run.id, "rl");
    std::vector<store::MetricPoint> pretrainLoss, sftLoss, reward, backtracks, accuracy;
    for (int step = 1; step <= 2750; ++step)
      pretrainLoss.push_back({step, 5.0 / r / std::sqrt(step)});
    for (int step = 1; step <= 456; ++step) sftLoss.push_back({step, 1.0 / r + 1.0 / step});
    for (int step = 1; step <= 8; ++step) {
      reward.push_back({step, r * 0.1 * step});
      backtracks.push_back({step, 0.0});
    }
    accuracy.push_back({8, 0.5});
    workspace.metrics().append(run.id, pretrain.id, "pretrain-base/loss", pretrainLoss);
    workspace.metrics().append(run.id, sft.id, "sft/loss", sftLoss);
    workspace.metrics().append(run.id, rl.id, "rl/reward", reward);
    workspace.metrics().append(run.id, rl.id, "rl/backtracks", backtracks);
    workspace.metrics().append(run.id, std::nullopt, "eval/accuracy", accuracy);
    if (r == 1) {
      std::vector<store::NewEvent> events;
      for (const auto& point : reward) {
        events.push_back({store::EventKind::kMetric,
                          {{"name", "rl/reward"}, {"step", point.step}, {"value", point.value}}});
      }
      workspace.events().appendAll(run.id, events);
    }
  }
  return dir;
}

}  // namespace

class CurvesPanelTest : public QObject {
  Q_OBJECT

  std::filesystem::path workspace_;

  // A shown panel over both runs, every chart drawn.
  std::unique_ptr<CurvesPanel> openPanel() {
    auto panel = std::make_unique<CurvesPanel>();
    panel->resize(1200, 800);
    panel->show();
    QSignalSpy updated(panel.get(), &CurvesPanel::curvesUpdated);
    panel->setWorkspace(workspace_);
    panel->setRuns({1, 2});
    [&] { QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty() && !panel->isBusy(), 10000); }();
    return panel;
  }

 private Q_SLOTS:
  void initTestCase() { workspace_ = makeWorkspace(); }

  void panel_groupsChartsByStageInPipelineOrder() {
    auto panel = openPanel();
    QCOMPARE(panel->stages(), (QStringList{"pretrain-base", "sft", "rl"}));
    QCOMPARE(panel->metrics(),
             (QStringList{"pretrain-base/loss", "sft/loss", "rl/backtracks", "rl/reward"}));
    QCOMPARE(panel->chartCount(), 4);  // eval/accuracy is the checkpoint charts'
    QCOMPARE(panel->lineCount(), 8);   // two runs on each
    auto* header = panel->findChild<QLabel*>("stageHeader:rl");
    QVERIFY(header && header->isVisible());
    QCOMPARE(header->text(), QStringLiteral("rl · 2 metrics"));
  }

  void panel_givesEachChartItsOwnRanges() {
    auto panel = openPanel();
    const auto& pretrain = panel->chart("pretrain-base/loss")->plot();
    const auto& reward = panel->chart("rl/reward")->plot();
    QCOMPARE(pretrain.minX, 1.0);
    QCOMPARE(pretrain.maxX, 2750.0);
    QCOMPARE(reward.minX, 1.0);
    QCOMPARE(reward.maxX, 8.0);
    QCOMPARE(reward.maxY, 1.6);  // run 2's last reward
    QCOMPARE(pretrain.maxY, 5.0);
    auto* rewardX = qobject_cast<QCategoryAxis*>(
        panel->chart("rl/reward")->chart()->axes(Qt::Horizontal).value(0));
    auto* pretrainX = qobject_cast<QCategoryAxis*>(
        panel->chart("pretrain-base/loss")->chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(rewardX && pretrainX);
    QCOMPARE(rewardX->max(), 10.0);  // the last step kept off the border
    QCOMPARE(pretrainX->max(), 3000.0);
    QCOMPARE(rewardX->categoriesLabels(), (QStringList{"0", "2", "4", "6", "8", "10"}));
    // All backtracks are 0: one tick at 0, and the note says so.
    auto* backtracksY = qobject_cast<QCategoryAxis*>(
        panel->chart("rl/backtracks")->chart()->axes(Qt::Vertical).value(0));
    QCOMPARE(backtracksY->categoriesLabels(), QStringList{"0"});
    QCOMPARE(panel->chart("rl/backtracks")->note(), QStringLiteral("all values = 0"));
  }

  void filter_matchesRegularExpressionAndReportsInvalidOnes() {
    auto panel = openPanel();
    panel->setFilter("loss$");
    QCOMPARE(panel->metrics(), (QStringList{"pretrain-base/loss", "sft/loss"}));
    QCOMPARE(panel->stages(), (QStringList{"pretrain-base", "sft"}));
    QVERIFY(panel->filterError().isEmpty());
    panel->setFilter("REWARD|back");  // case-insensitive
    QCOMPARE(panel->metrics(), (QStringList{"rl/backtracks", "rl/reward"}));
    panel->setFilter("rl/(reward");
    QVERIFY2(panel->filterError().contains("Invalid regular expression"),
             qPrintable(panel->filterError()));
    QVERIFY(panel->findChild<QLabel*>("filterError")->isVisible());
    QCOMPARE(panel->metrics(), (QStringList{"rl/backtracks", "rl/reward"}));  // last valid one
    panel->setFilter("");
    QVERIFY(panel->filterError().isEmpty());
    QVERIFY(!panel->findChild<QLabel*>("filterError")->isVisible());
    QCOMPARE(panel->chartCount(), 4);
  }

  void ema_isExactOnSmallSeries() {
    QCOMPARE(gui::exponentialMovingAverage({1.0, 2.0, 3.0, 0.0}, 0.5),
             (std::vector<double>{1.0, 1.5, 2.25, 1.125}));
    QCOMPARE(gui::exponentialMovingAverage({4.0, 8.0}, 0.0), (std::vector<double>{4.0, 8.0}));
    auto panel = openPanel();
    QSignalSpy updated(panel.get(), &CurvesPanel::curvesUpdated);
    panel->setSmoothing(0.5);
    QTRY_VERIFY(!updated.isEmpty() && !panel->isBusy());
    // Run 1's reward 0.1 * step, smoothed with weight 0.5 on the previous value.
    const auto& line = panel->chart("rl/reward")->plot().lines.at(0);
    QCOMPARE(line.runId, std::int64_t{1});
    QCOMPARE(line.smoothed.size(), 8);
    double expected = 0.1;
    for (int i = 0; i < 8; ++i) {
      if (i > 0) expected = 0.5 * expected + 0.5 * 0.1 * (i + 1);
      QCOMPARE(line.smoothed[i].y(), expected);
    }
    QCOMPARE(line.raw.at(7), QPointF(8, 0.1 * 8));  // the raw line behind it
    auto series = panel->chart("rl/reward")->chart()->series();
    QCOMPARE(series.size(), 4);  // raw + smoothed for each run
    panel->setSmoothing(0.0);
    QTRY_VERIFY(panel->chart("rl/reward")->chart()->series().size() == 2);  // no faint copy
  }

  void runColors_areTheRunsEverywhere() {
    QCOMPARE(gui::runColor(3), gui::runColor(3));
    QSet<QRgb> palette;
    for (int id = 1; id <= gui::kRunColorCount; ++id) palette.insert(gui::runColor(id).rgb());
    QCOMPARE(palette.size(), gui::kRunColorCount);
    QCOMPARE(gui::runColor(1 + gui::kRunColorCount), gui::runColor(1));
    auto panel = openPanel();
    for (const auto& metric : panel->metrics()) {
      for (const auto& line : panel->chart(metric)->plot().lines) {
        QCOMPARE(line.color, gui::runColor(line.runId));
      }
      auto series = panel->chart(metric)->chart()->series();
      auto* smoothed = qobject_cast<QLineSeries*>(series.at(1));
      QCOMPARE(smoothed->pen().color(), gui::runColor(1));
    }
  }

  void downsample_keepsExtremesWithinTwoPointsPerBucket() {
    std::vector<double> xs, ys;
    for (int i = 0; i < 3000; ++i) {
      xs.push_back(i);
      ys.push_back(i == 1234 ? 100.0 : (i == 2222 ? -50.0 : std::sin(i * 0.01)));
    }
    auto points = gui::minMaxDownsample(xs, ys, 100);
    QVERIFY(points.size() <= 2 * 100 + 2);
    QCOMPARE(points.front(), QPointF(0, 0));
    QCOMPARE(points.back(), QPointF(2999, std::sin(2999 * 0.01)));
    QVERIFY(points.contains(QPointF(1234, 100.0)));
    QVERIFY(points.contains(QPointF(2222, -50.0)));
    QVERIFY(
        std::is_sorted(points.begin(), points.end(), [](auto a, auto b) { return a.x() < b.x(); }));
    auto few = gui::minMaxDownsample({1, 2, 3}, {5, 6, 7}, 100);
    QCOMPARE(few.size(), 3);
  }

  void relativeTime_comesFromMetricEventsAndNamesRunsWithout() {
    auto panel = openPanel();
    QSignalSpy updated(panel.get(), &CurvesPanel::curvesUpdated);
    panel->setXAxis(CurveAxis::kRelativeTime);
    QTRY_VERIFY(!updated.isEmpty() && !panel->isBusy());
    QVERIFY(panel->plots()->data->timesRead);
    auto* reward = panel->chart("rl/reward");
    QCOMPARE(reward->lineCount(), 1);  // run 1 logged events; run 2's metrics have no times
    QCOMPARE(reward->plot().lines[0].smoothed.size(), 8);
    QVERIFY(reward->plot().minX >= 0.0);
    QVERIFY2(reward->note().contains("no logged times for knob-run"), qPrintable(reward->note()));
    QCOMPARE(panel->chart("sft/loss")->lineCount(), 0);
    QVERIFY(panel->plots()->xTitle.startsWith("time since the run's first point"));
    panel->setXAxis(CurveAxis::kStep);
    QTRY_COMPARE(panel->chart("rl/reward")->lineCount(), 2);
  }

  void hover_namesRunStepAndValue() {
    auto panel = openPanel();
    QString text = panel->chart("rl/reward")->describePoint(1, 3.2);
    QVERIFY2(text.startsWith("knob-run (run 2)\nstep 3\nrl/reward = 0.6 (EMA 0.6: "),
             qPrintable(text));
  }

  // What the Export menus do: the chart or figure is painted on the GUI thread, then encoded and
  // written by the panel's ExportProgress on a pool thread; the status line names the file.
  void exportMenus_encodeAndWriteOnThePool() {
    auto panel = openPanel();
    QTemporaryDir dir;
    QString path = dir.filePath("reward.png");
    gui::ChartFile painted =
        panel->chart("rl/reward")->exportFile(gui::ChartFormat::kPng, path,
                                              {.pixels = QSize(650, 400), .dpi = 100});
    std::atomic<bool> encodedOffGuiThread{false};
    QSignalSpy finished(panel->exportProgress(), &gui::ExportProgress::finished);
    panel->exportProgress()->start("rl/reward", path, [&](const std::atomic<bool>&) {
      encodedOffGuiThread = QThread::currentThread() != qApp->thread();
      return painted();
    });
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished[0][1].toString(), QString());
    QVERIFY(encodedOffGuiThread);
    QCOMPARE(QImage(path).size(), QSize(650, 400));
    QCOMPARE(panel->findChild<QLabel*>("curvesStatus")->text(), QStringLiteral("Wrote ") + path);

    QString figure = dir.filePath("figure.svg");
    gui::ChartFile whole = panel->figureFile(gui::ChartFormat::kSvg, figure, {});
    QVERIFY(!QFile::exists(figure));  // painted, nothing written yet
    gui::writeChartFile(figure, whole);
    QFile svg(figure);
    QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("knob-run"));
  }

  void export_oneChartAndTheWholePanel() {
    auto panel = openPanel();
    QTemporaryDir dir;
    auto* chart = panel->chart("sft/loss");
    QString base = dir.filePath("sft_loss");
    chart->exportTo(gui::ChartFormat::kPng, base + ".png", {.pixels = QSize(650, 400), .dpi = 100});
    chart->exportTo(gui::ChartFormat::kSvg, base + ".svg");
    chart->exportTo(gui::ChartFormat::kPdf, base + ".pdf");
    chart->exportTo(gui::ChartFormat::kCsv, base + ".csv");
    QCOMPARE(QImage(base + ".png").size(), QSize(650, 400));
    QFile svg(base + ".svg"), pdf(base + ".pdf"), csv(base + ".csv");
    QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
    QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(4) == "%PDF");
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readLine(), QByteArray("series,step,sft/loss\r\n"));
    QCOMPARE(csv.readLine(), QByteArray("base-run,1,2\r\n"));
    // Full resolution: raw and EMA of both runs, 456 steps each.
    QCOMPARE(csv.readAll().count('\n'), 4 * 456 - 1);
    QVERIFY(!chart->chart()->legend()->isVisible());  // shown only while exporting

    QString figure = dir.filePath("panel");
    panel->exportFigure(gui::ChartFormat::kPng, figure + ".png",
                        {.pixels = QSize(1950, 1200), .dpi = 300});
    panel->exportFigure(gui::ChartFormat::kSvg, figure + ".svg", {});
    panel->exportFigure(gui::ChartFormat::kPdf, figure + ".pdf", {});
    panel->exportCsv(figure + ".csv");
    QImage png(figure + ".png");
    QCOMPARE(png.size(), QSize(1950, 1200));
    QCOMPARE(qRound(png.dotsPerMeterX() * 0.0254), 300);
    QFile figureSvg(figure + ".svg"), figurePdf(figure + ".pdf"), figureCsv(figure + ".csv");
    QVERIFY(figureSvg.open(QIODevice::ReadOnly));
    QByteArray svgText = figureSvg.readAll();
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains("knob-run"));  // the legend
    QVERIFY(figurePdf.open(QIODevice::ReadOnly) && figurePdf.read(4) == "%PDF");
    QVERIFY(figureCsv.open(QIODevice::ReadOnly));
    QCOMPARE(figureCsv.readLine(), QByteArray("series,step,value\r\n"));
    QCOMPARE(figureCsv.readAll().count('\n'), 2 * (2750 + 456 + 8 + 8));
    QVERIFY(panel->figurePixels(300).width() > 1000);
  }

  void setRuns_dropsSupersededReads() {
    CurvesPanel panel;
    panel.show();
    QSignalSpy updated(&panel, &CurvesPanel::curvesUpdated);
    panel.setWorkspace(workspace_);
    panel.setRuns({1});
    panel.setRuns({2});
    QTRY_VERIFY(!updated.isEmpty() && !panel.isBusy());
    QTest::qWait(50);
    QCOMPARE(updated.size(), 1);  // run 1's read never applied
    for (const auto& metric : panel.metrics()) {
      QCOMPARE(panel.chart(metric)->plot().lines.at(0).runId, std::int64_t{2});
    }
  }

  void readError_isShownWhereTheChartsWouldBe() {
    auto dir = test::freshTempDir("curves-panel-broken");
    {
      QFile file(QString::fromStdString(workspaceDatabasePath(dir).string()));
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write(QByteArray(8192, 'x'));  // not a SQLite database
    }
    CurvesPanel panel;
    panel.show();
    panel.setWorkspace(dir);
    panel.setRuns({1});
    QTRY_VERIFY(!panel.errorText().isEmpty());
    QVERIFY2(panel.errorText().startsWith("Cannot read the training curves from"),
             qPrintable(panel.errorText()));
    QVERIFY(panel.findChild<QLabel*>("curvesError")->isVisible());
    QVERIFY(!panel.findChild<QScrollArea*>("curvesScroll")->isVisible());
    panel.setWorkspace(workspace_);
    QTRY_VERIFY(panel.errorText().isEmpty() && !panel.isBusy());
    QVERIFY(panel.findChild<QScrollArea*>("curvesScroll")->isVisible());
    QCOMPARE(panel.chartCount(), 4);
  }
};

QTEST_MAIN(CurvesPanelTest)
#include "curves_panel_test.moc"
