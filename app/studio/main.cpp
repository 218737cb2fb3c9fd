// `astro-studio`: the desktop application.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

#include "core/base/workspace_paths.h"
#include "gui/main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("AstroStudio");
  QApplication::setApplicationName("astro-studio");
  QApplication::setApplicationVersion(ASTRO_VERSION);

  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Astro Studio: inspect search trees and reasoning traces, launch ASTRO pipelines, chart "
      "backtracks against accuracy.");
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption workspaceOption("workspace", "Workspace folder.", "DIR");
  QCommandLineOption quitAfterOption("quit-after-ms",
                                     "Quit after MS milliseconds (smoke tests, screenshots).", "MS");
  parser.addOption(workspaceOption);
  parser.addOption(quitAfterOption);
  parser.process(app);

  QString workspace = parser.isSet(workspaceOption)
                          ? parser.value(workspaceOption)
                          : QString::fromStdString(astro::defaultWorkspaceDir().string());
  QDir().mkpath(workspace);
  astro::gui::MainWindow window(workspace);
  window.show();
  if (parser.isSet(quitAfterOption)) {
    bool ok = false;
    int ms = parser.value(quitAfterOption).toInt(&ok);
    if (!ok || ms < 0) {
      qCritical("astro-studio: --quit-after-ms needs a non-negative integer");
      return 2;
    }
    QTimer::singleShot(ms, &window, &QWidget::close);
  }
  return app.exec();
}
