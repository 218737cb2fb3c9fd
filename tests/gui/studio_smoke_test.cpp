// astro-studio starts on an empty workspace and quits cleanly, as a program and as a window.
#include <QtTest>

#include "gui/main_window.h"
#include "tests/support/test_support.h"

class StudioSmokeTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void program_startsAndQuitsCleanly() {
    auto dir = astro::test::freshTempDir("studio-smoke");
    auto result = astro::test::runProgram(
        ASTRO_STUDIO_PATH, {"--workspace", QString::fromStdString(dir.string()),
                            "--quit-after-ms", "300", "-platform", "offscreen"});
    QVERIFY2(!result.crashed, qPrintable(result.err));
    QCOMPARE(result.exitCode, 0);
  }
  void program_rejectsBadQuitDelay() {
    auto result = astro::test::runProgram(ASTRO_STUDIO_PATH,
                                          {"--quit-after-ms", "soon", "-platform", "offscreen"});
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
