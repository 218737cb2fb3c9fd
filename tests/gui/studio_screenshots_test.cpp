// Screenshots of the views a researcher opens after a run, on workspaces of their own: the
// training curves as small multiples and the checkpoint charts (three runs written with
// core/store), and the Compare tab over two real tiny-pipeline runs that differ in one knob.
// Written under <build>/test-tmp/screenshots/ for a person to look at.
#include <QFile>
#include <QFileInfo>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTreeView>
#include <QtTest>

#include "core/store/workspace.h"
#include "gui/charts/charts_view.h"
#include "gui/charts/curves_panel.h"
#include "gui/compare/compare_view.h"
#include "gui/compare/config_diff_model.h"
#include "gui/compare/eval_table_model.h"
#include "gui/main_window.h"
#include "gui/workspace/workspace_model.h"
#include "tests/gui/test_output_dir.h"
#include "tests/support/test_support.h"

using namespace astro;
using astro::test::outputDir;

class StudioScreenshotsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings go to a test location
    QCoreApplication::setOrganizationName("AstroStudioTest");
    QCoreApplication::setApplicationName("studio-screenshots-test");
  }

  void screenshots_smallMultiples() {
    auto folder = test::freshTempDir("studio-small-multiples");
    {
      auto workspace = store::Workspace::open(folder);
      for (int r = 1; r <= 3; ++r) {
        auto run = workspace.runs().create({.name = "miniature-quick lr x" + std::to_string(r)});
        std::map<std::string, std::int64_t> stages;
        auto log = [&](const std::string& stage, const char* name, int steps, auto value) {
          if (!stages.count(stage)) stages[stage] = workspace.stages().add(run.id, stage).id;
          std::vector<store::MetricPoint> points;  // one-point metrics at step 0, as the stages
          for (int step = steps == 1 ? 0 : 1; step <= (steps == 1 ? 0 : steps); ++step)
            points.push_back({step, value(step)});
          workspace.metrics().append(run.id, stages[stage], stage + "/" + name, points);
        };
        std::mt19937 noise(r);
        auto jitter = [&](double scale) {
          return std::normal_distribution<double>(0.0, scale)(noise);
        };
        log("search", "solve_rate", 1, [&](int) { return 0.4 + 0.05 * r; });
        log("linearize", "backtracks", 1, [&](int) { return 31.0 * r; });
        log("pretrain-base", "loss", 2750,
            [&](int s) { return 1.2 + 4.0 / std::sqrt(s * r) + jitter(0.08); });
        log("pretrain-base", "learning_rate", 2750,
            [&](int s) { return 3e-4 * r * std::min(1.0, s / 100.0); });
        log("sft", "loss", 456, [&](int s) { return 0.3 + 1.5 / (1 + s * 0.02 * r) + jitter(0.05); });
        log("sft", "grad_norm", 456, [&](int s) { return 2.0 / std::sqrt(s) + jitter(0.1); });
        log("rl", "reward", 8, [&](int s) { return -0.6 + 0.1 * s * r + jitter(0.05); });
        log("rl", "response_length", 8, [&](int s) { return 95.0 + 2 * s - r + jitter(1.0); });
        log("rl", "backtracks", 8, [&](int) { return 0.0; });
        log("rl", "kl", 8, [&](int s) { return 0.001 * s * r; });
        // The analyze stage's per-checkpoint figures; no backtracks at all, as in issue 23.
        const char* checkpoints[] = {"base", "sft", "rl"};
        for (int c = 0; c < 3; ++c) {
          std::string prefix = std::string("analyze/world-test/") + checkpoints[c] + "/";
          if (!stages.count("analyze")) stages["analyze"] = workspace.stages().add(run.id, "analyze").id;
          workspace.metrics().append(run.id, stages["analyze"], prefix + "accuracy",
                                     std::vector<store::MetricPoint>{{0, 0.2 + 0.1 * c + 0.03 * r}});
          workspace.metrics().append(run.id, stages["analyze"], prefix + "mean_backtracks",
                                     std::vector<store::MetricPoint>{{0, 0.0}});
          workspace.metrics().append(run.id, stages["analyze"], prefix + "mean_tokens",
                                     std::vector<store::MetricPoint>{{0, 90.0 + 6 * c - r}});
        }
      }
    }
    gui::MainWindow window(QString::fromStdString(folder.string()));
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.views()->setCurrentWidget(window.chartsView());
    QTRY_COMPARE(window.workspaceModel()->rowCount(), 3);
    window.runTree()->selectAll();
    auto* panel = window.chartsView()->curvesPanel();
    QTRY_VERIFY_WITH_TIMEOUT(panel->chartCount() == 10 && !panel->isBusy(), 10000);
    QCOMPARE(panel->stages(),
             (QStringList{"search", "linearize", "pretrain-base", "sft", "rl"}));
    QCOMPARE(panel->lineCount(), 30);
    QTest::qWait(150);
    QVERIFY(window.saveScreenshot(outputDir("screenshots") + "/small_multiples.png"));
    auto* scroll = panel->findChild<QScrollArea*>("curvesScroll")->verticalScrollBar();
    scroll->setValue(scroll->maximum());  // the SFT and RL groups
    QTest::qWait(150);
    QVERIFY(window.saveScreenshot(outputDir("screenshots") + "/small_multiples_rl.png"));
    window.chartsView()->tabs()->setCurrentIndex(1);  // the checkpoint charts, equal room
    QTRY_COMPARE(window.chartsView()->checkpointPoints().size(), std::size_t{9});
    QCOMPARE(window.chartsView()->correlationLegend(),
             QStringLiteral("r undefined (no variation in backtracks), n = 9"));
    QTest::qWait(150);
    QVERIFY(window.saveScreenshot(outputDir("screenshots") + "/checkpoint_charts.png"));
  }

  // Two real runs of the tiny pipeline (tests/pipeline/data/tiny.toml, seconds each) that differ
  // in one knob, selected together: the Compare view's screenshot.
  void screenshots_compareTwoPipelineRuns() {
    const QString cli = QStringLiteral(ASTRO_BINARY_DIR "/app/astro");
    if (!QFileInfo::exists(cli)) QSKIP("needs the built astro CLI to run the tiny pipeline");
    auto dir = test::freshTempDir("studio-compare");
    const auto data = std::filesystem::path(ASTRO_SOURCE_DIR) / "tests/pipeline/data";
    std::filesystem::copy_file(data / "world_direct_sft.jsonl", dir / "world_direct_sft.jsonl");
    const QString tiny = QString::fromStdString(test::readWholeFile(data / "tiny.toml"));
    for (const QString rate : {"1e-3", "3e-3"}) {
      QString config = tiny;
      config.replace("name = \"tiny\"", QStringLiteral("name = \"tiny-sft-lr-%1\"").arg(rate))
          .replace("learning_rate = 1e-3", "learning_rate = " + rate);  // [sft]'s, the first
      auto file = dir / ("tiny-" + rate.toStdString() + ".toml");
      QFile out(test::qpath(file));
      QVERIFY(out.open(QIODevice::WriteOnly) && out.write(config.toUtf8()) == config.size());
      out.close();
      auto run = test::runProgram(cli, {"--workspace", test::qpath(dir / "workspace"), "run",
                                        test::qpath(file)});
      QVERIFY2(run.exitCode == 0, qPrintable(run.err.right(2000)));
    }
    gui::MainWindow window(test::qpath(dir / "workspace"));
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE(window.workspaceModel()->rowCount(), 2);
    window.views()->setCurrentWidget(window.compareView());
    window.runTree()->selectAll();
    auto* compare = window.compareView();
    QTRY_COMPARE(compare->runs().size(), std::size_t{2});
    QTRY_VERIFY(!compare->isReading() && compare->evalModel()->rowCount() == 3);
    QCOMPARE(compare->configModel()->rowCount(), 2);  // run.name and sft.learning_rate
    QTRY_VERIFY(compare->curves()->lineCount() > 0 && !compare->curves()->isBusy());
    QTest::qWait(150);
    QVERIFY(window.saveScreenshot(outputDir("screenshots") + "/compare.png"));
  }

};

QTEST_MAIN(StudioScreenshotsTest)
#include "studio_screenshots_test.moc"
