// astro-studio starts on an empty workspace and quits cleanly, as a program and as a window.
#include <QtTest>

#include "core/store/workspace.h"
#include "gui/main_window.h"
#include "tests/support/test_support.h"

class StudioSmokeTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void program_startsAndQuitsCleanly() {
    auto dir = astro::test::freshTempDir("studio-smoke");
    auto result = astro::test::runProgram(
        ASTRO_STUDIO_PATH, {"--workspace", QString::fromStdString(dir.string()), "--quit-after-ms",
                            "300", "-platform", "offscreen"});
    QVERIFY2(!result.crashed, qPrintable(result.err));
    QCOMPARE(result.exitCode, 0);
  }
  void program_rejectsBadQuitDelay() {
    auto result = astro::test::runProgram(ASTRO_STUDIO_PATH,
                                          {"--quit-after-ms", "soon", "-platform", "offscreen"});
    QCOMPARE(result.exitCode, 2);
  }
  void program_writesScreenshotOfOpenRunAndTree() {
    auto dir = astro::test::freshTempDir("studio-screenshot");
    {
      auto workspace = astro::store::Workspace::open(dir);
      auto run = workspace.runs().create({.name = "screenshot-run", .config = "[sft]\n"});
      workspace.stages().add(run.id, "sft");
    }
    QString png = QString::fromStdString((dir / "window.png").string());
    auto result = astro::test::runProgram(
        ASTRO_STUDIO_PATH,
        {"--workspace", QString::fromStdString(dir.string()), "--open-run", "1", "--open-tree",
         ASTRO_SOURCE_DIR "/tests/gui/data/small_tree.json", "--screenshot", png, "--quit-after-ms",
         "20000", "-platform", "offscreen"});
    QVERIFY2(!result.crashed, qPrintable(result.err));
    QCOMPARE(result.exitCode, 0);
    QImage image(png);
    QVERIFY(image.width() >= 800);
  }
  void program_rejectsBadRunId() {
    auto result =
        astro::test::runProgram(ASTRO_STUDIO_PATH, {"--open-run", "x", "-platform", "offscreen"});
    QCOMPARE(result.exitCode, 2);
  }
  void window_showsWorkspaceInTitle() {
    auto dir = QString::fromStdString(astro::test::freshTempDir("studio-window").string());
    astro::gui::MainWindow window(dir);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.windowTitle().contains(dir));
    QVERIFY(window.close());
  }
};

QTEST_MAIN(StudioSmokeTest)
#include "studio_smoke_test.moc"
