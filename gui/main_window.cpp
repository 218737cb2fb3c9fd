#include "gui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace astro::gui {

MainWindow::MainWindow(QString workspaceDir, QWidget* parent)
    : QMainWindow(parent), workspaceDir_(std::move(workspaceDir)) {
  setObjectName("astroMainWindow");
  setWindowTitle(tr("Astro Studio — %1").arg(workspaceDir_));
  auto* views = new QTabWidget(this);
  views->setObjectName("views");
  views->setDocumentMode(true);
  setCentralWidget(views);
  workspaceLabel_ = new QLabel(tr("Workspace: %1").arg(workspaceDir_), this);
  statusBar()->addPermanentWidget(workspaceLabel_);
  buildMenus();
  restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open &Workspace…"), QKeySequence::Open, this, &MainWindow::chooseWorkspace);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Astro Studio"), this, [this] {
    QMessageBox::about(this, tr("About Astro Studio"),
                       tr("<b>Astro Studio %1</b><p>A workbench for search-taught reasoning: "
                          "MCTS, procedure cloning, SFT and GRPO (the ASTRO recipe).</p>")
                           .arg(QStringLiteral(ASTRO_VERSION)));
  });
}

void MainWindow::restoreLayout() {
  QSettings settings;
  restoreGeometry(settings.value("mainWindow/geometry").toByteArray());
  restoreState(settings.value("mainWindow/state").toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("mainWindow/geometry", saveGeometry());
  settings.setValue("mainWindow/state", saveState());
  settings.setValue("workspace/last", workspaceDir_);
  event->accept();
}

void MainWindow::chooseWorkspace() {
  QString dir = QFileDialog::getExistingDirectory(this, tr("Open Workspace"), workspaceDir_);
  if (dir.isEmpty()) return;
  workspaceDir_ = dir;
  workspaceLabel_->setText(tr("Workspace: %1").arg(workspaceDir_));
  setWindowTitle(tr("Astro Studio — %1").arg(workspaceDir_));
}

}  // namespace astro::gui
