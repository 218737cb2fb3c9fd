// The Charts view's checkpoint charts: metric names in every form the pipeline writes (analyze
// and evaluate stages, imported runs, eval/*) become per-benchmark points; length vs accuracy and
// accuracy per checkpoint are drawn for the chosen benchmark and export to PNG/SVG/PDF/CSV.
#include <QCategoryAxis>
#include <QChart>
#include <QComboBox>
#include <QLineSeries>
#include <QtTest>

#include "gui/charts/charts_view.h"
#include "gui/charts/checkpoint_points.h"

using astro::gui::ChartsView;
using astro::gui::CheckpointPoint;
using astro::gui::MetricSeries;

class CheckpointChartsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void checkpointLess_putsNamedCheckpointsInPipelineOrder() {
    std::vector<QString> names{"rl-100", "other", "sft", "rl", "base", "rl-20", "direct-sft"};
    std::stable_sort(names.begin(), names.end(), astro::gui::checkpointLess);
    const std::vector<QString> expected{"base", "direct-sft", "sft", "rl", "rl-20", "rl-100",
                                        "other"};
    QCOMPARE(names, expected);
  }

  void pointsFromMetrics_readsAnalyzeEvaluateAndImportedNames() {
    std::vector<MetricSeries> series = {
        {.runId = 1, .name = "analyze/gsm8k/sft/accuracy", .points = {{0, 0.4}}},
        {.runId = 1, .name = "analyze/gsm8k/sft/mean_backtracks", .points = {{0, 1.5}}},
        {.runId = 1, .name = "analyze/gsm8k/sft/mean_tokens", .points = {{0, 310}}},
        {.runId = 1, .name = "evaluate/gsm8k/rl-100/pass@1", .points = {{0, 0.5}}},
        {.runId = 1, .name = "analyze/gsm8k/rl-100/mean_tokens", .points = {{0, 420}}},
        {.runId = 1, .name = "evaluate/gsm8k/rl-20/pass@1", .points = {{0, 0.45}}},
        {.runId = 1, .name = "analyze/gsm8k/pearson/mean_tokens", .points = {{0, 0.9}}},
        {.runId = 1, .name = "evaluate/gsm8k/sft/pass@4", .points = {{0, 0.9}}},
        {.runId = 2, .name = "analysis/math/accuracy", .points = {{200, 0.3}, {100, 0.2}}},
        {.runId = 2, .name = "analysis/math/mean_tokens", .points = {{100, 50}, {200, 60}}},
        {.runId = 2, .name = "sft/loss", .points = {{1, 2.0}}}};
    QVERIFY(astro::gui::isCheckpointMetric("analyze/gsm8k/sft/mean_tokens"));
    QVERIFY(!astro::gui::isCheckpointMetric("analyze/gsm8k/pearson/mean_tokens"));
    QVERIFY(!astro::gui::isCheckpointMetric("sft/loss"));
    auto points = astro::gui::pointsFromMetrics(series);
    QCOMPARE(points.size(), std::size_t{5});
    // Run 1's named checkpoints in pipeline order (sft before rl, "rl-20" before "rl-100");
    // analyze's accuracy wins over nothing, pass@1 stands in where analyze wrote none.
    QCOMPARE(points[0].checkpoint, QStringLiteral("sft"));
    QCOMPARE(points[0].benchmark, QStringLiteral("gsm8k"));
    QCOMPARE(points[0].accuracy, 0.4);
    QCOMPARE(points[0].backtracks, 1.5);
    QCOMPARE(points[0].label, QStringLiteral("run 1 · sft"));
    QCOMPARE(points[1].checkpoint, QStringLiteral("rl-20"));
    QCOMPARE(points[2].checkpoint, QStringLiteral("rl-100"));
    QCOMPARE(points[2].accuracy, 0.5);
    QCOMPARE(points[2].tokens, 420.0);
    QVERIFY(std::isnan(points[2].backtracks));
    QCOMPARE(points[3].benchmark, QStringLiteral("math"));
    QCOMPARE(points[3].step, std::optional<std::int64_t>(100));
    QCOMPARE(points[3].tokens, 50.0);
    QCOMPARE(points[4].accuracy, 0.3);
    QCOMPARE(astro::gui::benchmarksOf(points),
             (std::vector<QString>{QStringLiteral("gsm8k"), QStringLiteral("math")}));
  }

  void chartsView_drawsLengthAndAccuracyPerBenchmarkAndExports() {
    ChartsView view;
    view.resize(1200, 800);
    view.show();
    std::vector<CheckpointPoint> points;
    for (int i = 0; i < 4; ++i) {
      points.push_back({.label = QStringLiteral("c%1").arg(i),
                        .backtracks = 0.5 * i,
                        .accuracy = 0.2 + 0.1 * i,
                        .tokens = 100.0 + 50 * i,
                        .benchmark = QStringLiteral("gsm8k"),
                        .checkpoint = QStringLiteral("ckpt-%1").arg(i * 10),
                        .runId = 1 + i % 2});
    }
    for (int step : {100, 200, 300}) {
      points.push_back({.label = QString::number(step),
                        .backtracks = step / 100.0,
                        .accuracy = 0.5 - step / 1000.0,
                        .tokens = 400.0 - step,
                        .benchmark = QStringLiteral("math"),
                        .checkpoint = QString::number(step),
                        .step = step,
                        .runId = 3});
    }
    view.setCheckpointPoints({.source = QStringLiteral("test"), .points = points});
    QCOMPARE(view.benchmarks().size(), std::size_t{2});
    QVERIFY(view.benchmarkBox()->isEnabled());
    QCOMPARE(view.benchmarkBox()->count(), 2);
    QCOMPARE(view.benchmark(), QStringLiteral("gsm8k"));
    QVERIFY(view.lengthLegend().startsWith("r = 1.00, "));
    QVERIFY(view.lengthLegend().contains("n = 4"));
    QVERIFY(view.correlationLegend().contains("n = 4"));
    QChart* accuracy = view.chart(ChartsView::Which::kAccuracy);
    QCOMPARE(accuracy->series().size(), 2);  // runs 1 and 2
    auto* axis = qobject_cast<QCategoryAxis*>(accuracy->axes(Qt::Horizontal).front());
    QVERIFY(axis);
    QCOMPARE(axis->categoriesLabels(), (QStringList{"ckpt-0", "ckpt-10", "ckpt-20", "ckpt-30"}));

    QSignalSpy updated(&view, &ChartsView::correlationUpdated);
    view.benchmarkBox()->setCurrentIndex(1);
    Q_EMIT view.benchmarkBox()->activated(1);
    QCOMPARE(updated.size(), 1);
    QCOMPARE(view.benchmark(), QStringLiteral("math"));
    QVERIFY(view.lengthLegend().startsWith("r = 1.00, "));
    QVERIFY(view.correlationLegend().startsWith("r = -1.00, "));
    QCOMPARE(accuracy->series().size(), 1);
    QVERIFY(!qobject_cast<QCategoryAxis*>(accuracy->axes(Qt::Horizontal).front()));
    auto* line = qobject_cast<QLineSeries*>(accuracy->series().front());
    QCOMPARE(line->count(), 3);
    QCOMPARE(line->at(2), QPointF(300, 0.2));

    QTemporaryDir dir;
    using Which = ChartsView::Which;
    using Format = ChartsView::Format;
    for (auto [which, header] :
         {std::pair{Which::kLength, QByteArray("series,mean_tokens,accuracy\r\n")},
          std::pair{Which::kAccuracy, QByteArray("series,checkpoint,accuracy\r\n")}}) {
      QString base = dir.filePath(QString::number(static_cast<int>(which)));
      view.exportChart(which, Format::kPng, base + ".png", {.pixels = QSize(650, 400), .dpi = 100});
      view.exportChart(which, Format::kSvg, base + ".svg");
      view.exportChart(which, Format::kPdf, base + ".pdf");
      view.exportChart(which, Format::kCsv, base + ".csv");
      QCOMPARE(QImage(base + ".png").size(), QSize(650, 400));
      QFile svg(base + ".svg"), pdf(base + ".pdf"), csv(base + ".csv");
      QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
      QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(4) == "%PDF");
      QVERIFY(csv.open(QIODevice::ReadOnly));
      QCOMPARE(csv.readLine(), header);
      QVERIFY(csv.readAll().count('\n') >= 3);
    }
  }
};

QTEST_MAIN(CheckpointChartsTest)
#include "checkpoint_charts_test.moc"
