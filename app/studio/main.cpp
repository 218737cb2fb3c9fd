// `astro-studio`: the desktop application. --workspace DIR opens a workspace, --open-run ID selects
// a run (its stored search trees fill the tree view's problems list, the first one opened),
// --view NAME shows a tab, --open-tree FILE opens a search tree file, --screenshot FILE renders the
// window to a PNG once the workspace (and tree) are shown and quits, --quit-after-ms N quits
// after N ms.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTabWidget>
#include <QTimer>

#include "core/base/blas_kernels.h"
#include "core/base/workspace_paths.h"
#include "core/plugin/plugin_loader.h"
#include "gui/main_window.h"
#include "gui/tree/run_tree_list_model.h"
#include "gui/tree/run_tree_panel.h"
#include "gui/tree/tree_view.h"
#include "gui/workspace/run_overview_view.h"

namespace {

int usageError(const char* message) {
  qCritical("astro-studio: %s", message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  astro::restartWithFastBlasKernels(argv);
  QApplication app(argc, argv);
  QApplication::setOrganizationName("AstroStudio");
  QApplication::setApplicationName("astro-studio");
  QApplication::setApplicationVersion(ASTRO_VERSION);

  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Astro Studio: inspect runs, search trees and reasoning traces; chart backtracks against "
      "accuracy.");
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption workspaceOption("workspace", "Workspace folder.", "DIR");
  QCommandLineOption quitAfterOption(
      "quit-after-ms", "Quit after MS milliseconds (smoke tests, screenshots).", "MS");
  QCommandLineOption openRunOption("open-run", "Select run ID of the workspace.", "ID");
  QCommandLineOption openTreeOption("open-tree", "Open a search tree (JSON or JSONL).", "FILE");
  QCommandLineOption viewOption(
      "view", "Show this view: overview, tree, trace, charts, samples or launch.", "NAME");
  QCommandLineOption screenshotOption(
      "screenshot", "Render the window to FILE (PNG) once loaded, then quit.", "FILE");
  parser.addOptions({workspaceOption, quitAfterOption, openRunOption, openTreeOption, viewOption,
                     screenshotOption});
  parser.process(app);
  // Before the window and its worker threads exist: the registries are filled on this thread
  // only (domain_registry.h). Refused plugins are listed in Help > Plugins, never fatal.
  astro::plugin::loadPlugins();

  int quitAfterMs = -1;
  if (parser.isSet(quitAfterOption)) {
    bool ok = false;
    quitAfterMs = parser.value(quitAfterOption).toInt(&ok);
    if (!ok || quitAfterMs < 0) return usageError("--quit-after-ms needs a non-negative integer");
  }
  qint64 runId = 0;
  if (parser.isSet(openRunOption)) {
    bool ok = false;
    runId = parser.value(openRunOption).toLongLong(&ok);
    if (!ok || runId <= 0) return usageError("--open-run needs a positive run id");
  }

  const QStringList views{"overview", "tree", "trace", "charts", "samples", "launch"};
  const int viewIndex = parser.isSet(viewOption) ? views.indexOf(parser.value(viewOption)) : -1;
  if (parser.isSet(viewOption) && viewIndex < 0) {
    return usageError("--view needs one of overview, tree, trace, charts, samples, launch");
  }

  QString workspace = parser.isSet(workspaceOption)
                          ? parser.value(workspaceOption)
                          : QString::fromStdString(astro::defaultWorkspaceDir().string());
  QDir().mkpath(workspace);
  astro::gui::MainWindow window(workspace);
  window.show();
  if (viewIndex >= 0) window.views()->setCurrentIndex(viewIndex);
  if (runId > 0) window.selectRun(runId);
  if (parser.isSet(openTreeOption)) {
    window.views()->setCurrentWidget(window.treeView());
    window.treeView()->openFile(parser.value(openTreeOption));
  }
  if (parser.isSet(screenshotOption)) {
    // Shoot once what was asked for has arrived: the workspace snapshot, the run overview and
    // the tree layout (each only when requested).
    QString path = parser.value(screenshotOption);
    // A run shown in the tree view is ready once its first tree is drawn (or it has none).
    const bool wantRunTree = runId > 0 && viewIndex == 1 && !parser.isSet(openTreeOption);
    auto shoot = [&window, &app, path, runId, wantRunTree,
                  wantTree = parser.isSet(openTreeOption)] {
      const auto* runTrees = window.treeView()->runTreePanel()->model();
      const bool runTreeShown =
          runTrees->runId() == runId &&
          (runTrees->totalTrees() == 0 ||
           (runTrees->totalTrees() > 0 && window.treeView()->isLayoutReady()));
      bool ready = (runId == 0 || window.overviewView()->runId() == runId) &&
                   (!wantTree || window.treeView()->isLayoutReady()) &&
                   (!wantRunTree || runTreeShown);
      if (!ready) return false;
      bool saved = window.saveScreenshot(path);
      if (!saved) qCritical("astro-studio: cannot write %s", qPrintable(path));
      app.exit(saved ? 0 : 1);
      return true;
    };
    auto* poll = new QTimer(&window);
    poll->setInterval(100);
    QObject::connect(poll, &QTimer::timeout, &window, [shoot, poll] {
      if (shoot()) poll->stop();
    });
    // Layout and table fills land a tick after their signals: give them 300 ms to paint.
    QTimer::singleShot(300, poll, qOverload<>(&QTimer::start));
  }
  if (quitAfterMs >= 0) QTimer::singleShot(quitAfterMs, &window, &QWidget::close);
  return app.exec();
}
