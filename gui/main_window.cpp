#include "gui/main_window.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include "core/domain/domain_registry.h"
#include "core/remote/host_profile.h"
#include "core/search/render_trace.h"
#include "gui/charts/charts_view.h"
#include "gui/compare/compare_view.h"
#include "gui/hosts/hosts_dialog.h"
#include "gui/launch/cli_launch_target.h"
#include "gui/launch/launch_view.h"
#include "gui/launch/mirror_reattach.h"
#include "gui/plugins/plugins_dialog.h"
#include "gui/samples/samples_view.h"
#include "gui/trace/trace_view.h"
#include "gui/tree/tree_view.h"
#include "gui/workspace/artifact_fetch.h"
#include "gui/workspace/event_log_panel.h"
#include "gui/workspace/run_overview_view.h"
#include "gui/workspace/workspace_model.h"

namespace astro::gui {
namespace {

// Runs change while a worker writes; a snapshot every few seconds is cheap (one read-only open).
constexpr int kRefreshIntervalMs = 3000;

}  // namespace

MainWindow::MainWindow(QString workspaceDir, QWidget* parent)
    : QMainWindow(parent), workspaceDir_(std::move(workspaceDir)) {
  setObjectName("astroMainWindow");
  setWindowTitle(tr("Astro Studio — %1").arg(workspaceDir_));
  resize(1400, 900);
  views_ = new QTabWidget(this);
  views_->setObjectName("views");
  views_->setDocumentMode(true);
  setCentralWidget(views_);
  overview_ = new RunOverviewView(views_);
  treeView_ = new TreeView(views_);
  traceView_ = new TraceView(views_);
  chartsView_ = new ChartsView(views_);
  samplesView_ = new SamplesView(views_);
  launchView_ = new LaunchView(views_);
  views_->addTab(overview_, tr("&Overview"));
  views_->addTab(treeView_, tr("Search &Tree"));
  views_->addTab(traceView_, tr("T&race"));
  views_->addTab(chartsView_, tr("&Charts"));
  views_->addTab(samplesView_, tr("&Samples"));
  views_->addTab(launchView_, tr("&Launch"));
  // The runs selected in the side panel (two or more) side by side.
  compareView_ = new CompareView(views_);
  views_->addTab(compareView_, tr("Co&mpare"));
  workspaceLabel_ = new QLabel(tr("Workspace: %1").arg(workspaceDir_), this);
  statusBar()->addPermanentWidget(workspaceLabel_);
  buildPanels();
  buildMenus();
  restoreLayout();

  connect(treeView_, &TreeView::traceRequested, this, [this] {
    const auto* tree = treeView_->currentTree();
    if (!tree || treeView_->path().steps.empty()) {
      statusBar()->showMessage(tr("This tree has no correct terminal: no path to render."), 5000);
      return;
    }
    // In the phrases and steps of the tree's domain, which the trace view reads it back with.
    const std::vector<math::Problem> problems = {search::treeProblem(*tree)};
    const domain::Domain& treeDomain = domain::resolveDomain(domain::kAutoDomain, problems);
    auto rendered =
        search::renderTrace(*tree, treeView_->path(), treeDomain.phraseSet(),
                            {.stepDelimiter = std::string(treeDomain.stepDelimiter())});
    auto final = tree->node(treeView_->path().finalNode()).correct;
    traceView_->showTrace(tr("linearized path of the open tree"), rendered.text,
                          DetectorChoice::kExact, final, tree->problem());
    views_->setCurrentWidget(traceView_);
  });
  connect(chartsView_, &ChartsView::samplesImported, samplesView_, &SamplesView::setSamples);
  connect(samplesView_, &SamplesView::sampleActivated, this,
          [this](const analysis::ImportedSample& sample) {
            traceView_->showTrace(tr("line %1 of %2 (%3)")
                                      .arg(sample.line)
                                      .arg(QString::fromStdString(sample.problemId),
                                           QString::fromStdString(sample.checkpoint)),
                                  sample.completion, DetectorChoice::kHeuristic,
                                  sample.stats.correct);
            views_->setCurrentWidget(traceView_);
          });
  connect(overview_, &RunOverviewView::artifactOpened, this,
          [this](const QString& path, const QString& kind) {
            if (path.endsWith(".json") || path.endsWith(".jsonl")) {
              views_->setCurrentWidget(treeView_);
              treeView_->openFile(path);
            } else if (path.endsWith(".txt") || path.endsWith(".md")) {
              views_->setCurrentWidget(traceView_);
              traceView_->openTextFile(path);
            } else {
              statusBar()->showMessage(
                  tr("No view opens %1 artifacts (%2): trees are .json/.jsonl, traces .txt")
                      .arg(kind, path),
                  8000);
            }
          });
  connect(launchView_, &LaunchView::notice, this,
          [this](const QString& message) { statusBar()->showMessage(message, 10000); });
  connect(launchView_, &LaunchView::runStarted, this, [this](std::int64_t runId) {
    refreshWorkspace();
    selectRun(runId);
  });
  connect(treeView_, &TreeView::treeLoadFailed, this,
          [this](const QString& message) { showError(tr("Open Tree"), message); });
  connect(launchView_, &LaunchView::hostsRequested, this, &MainWindow::openHostsDialog);
  // Exports run on the pool with progress and Cancel in their view; the outcome lands here.
  auto reportExport = [this](const QString& title) {
    return [this, title](const QString& path, const QString& error) {
      if (error.isEmpty()) {
        statusBar()->showMessage(tr("Wrote %1").arg(path), 5000);
      } else {
        showError(title, tr("%1 not written: %2").arg(path, error));
      }
    };
  };
  connect(treeView_, &TreeView::exportFinished, this, reportExport(tr("Export Tree")));
  connect(traceView_, &TraceView::exportFinished, this, reportExport(tr("Export Step Graph")));

  mirrors_ = new MirrorReattach(astroCliPath(), this);
  connect(mirrors_, &MirrorReattach::mirrorsStarted, this,
          [this](const std::vector<std::int64_t>& runIds) {
            if (runIds.empty()) return;
            statusBar()->showMessage(
                tr("Mirroring %n remote run(s) from their hosts", nullptr, int(runIds.size())),
                8000);
          });
  connect(mirrors_, &MirrorReattach::failed, this, [this](const QString& message) {
    statusBar()->showMessage(tr("Cannot re-attach the remote runs' mirrors: %1").arg(message));
  });
  fetch_ = new ArtifactFetch(astroCliPath(), this);
  connect(fetch_, &ArtifactFetch::status, this,
          [this](const QString& line) { statusBar()->showMessage(line, 15000); });
  connect(fetch_, &ArtifactFetch::finished, this,
          [this](std::int64_t runId, std::int64_t, const QString&, const QString& error) {
            onArtifactFetched(runId, error);
          });

  refreshTimer_ = new QTimer(this);
  refreshTimer_->setInterval(kRefreshIntervalMs);
  connect(refreshTimer_, &QTimer::timeout, this, &MainWindow::refreshWorkspace);
  openWorkspace(workspaceDir_);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPanels() {
  auto* side = new QDockWidget(tr("Workspace"), this);
  side->setObjectName("workspaceDock");
  auto* sideWidget = new QWidget(side);
  auto* sideLayout = new QVBoxLayout(sideWidget);
  sideLayout->setContentsMargins(2, 2, 2, 2);
  filter_ = new QLineEdit(sideWidget);
  filter_->setObjectName("runFilter");
  filter_->setPlaceholderText(tr("Filter runs by name, status or stage"));
  filter_->setClearButtonEnabled(true);
  auto* groupRuns = new QCheckBox(tr("Group by kind (native / imported)"), sideWidget);
  groupRuns->setObjectName("groupRuns");
  sideLayout->addWidget(groupRuns);
  sideLayout->addWidget(filter_);
  workspaceModel_ = new WorkspaceModel(this);
  runFilter_ = new QSortFilterProxyModel(this);
  runFilter_->setSourceModel(workspaceModel_);
  runFilter_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  runFilter_->setFilterKeyColumn(-1);  // any column: name, status, progress
  runFilter_->setRecursiveFilteringEnabled(true);
  connect(filter_, &QLineEdit::textChanged, runFilter_,
          &QSortFilterProxyModel::setFilterFixedString);
  runTree_ = new QTreeView(sideWidget);
  runTree_->setObjectName("runTree");
  runTree_->setModel(runFilter_);
  runTree_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  runTree_->setSelectionBehavior(QAbstractItemView::SelectRows);
  runTree_->setUniformRowHeights(true);
  runTree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  runTree_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(runTree_, &QTreeView::customContextMenuRequested, this, &MainWindow::showRunTreeMenu);
  sideLayout->addWidget(runTree_);
  side->setWidget(sideWidget);
  connect(groupRuns, &QCheckBox::toggled, this, [this](bool on) {
    workspaceModel_->setGroupedByKind(on);
    expandRunTree({});
    if (currentRunId_ != 0) {
      auto runId = currentRunId_;
      currentRunId_ = 0;  // the reset cleared the selection: select the run again
      selectRun(runId);
    }
  });
  addDockWidget(Qt::LeftDockWidgetArea, side);
  connect(runTree_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::onRunSelectionChanged);

  auto* logDock = new QDockWidget(tr("Log and progress"), this);
  logDock->setObjectName("logDock");
  logPanel_ = new EventLogPanel(logDock);
  logDock->setWidget(logPanel_);
  addDockWidget(Qt::BottomDockWidgetArea, logDock);
  resizeDocks({side, logDock}, {340, 150}, Qt::Horizontal);
  resizeDocks({logDock}, {150}, Qt::Vertical);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open &Workspace…"), QKeySequence::Open, this, &MainWindow::chooseWorkspace);
  file->addAction(tr("Open &Tree…"), QKeySequence(tr("Ctrl+T")), this, &MainWindow::openTreeDialog);
  file->addAction(tr("Open T&race…"), this, [this] {
    QString path = QFileDialog::getOpenFileName(this, tr("Open Trace"), QString(),
                                                tr("Text (*.txt *.md);;All files (*)"));
    if (path.isEmpty()) return;
    traceView_->openTextFile(path);
    views_->setCurrentWidget(traceView_);
  });
  file->addAction(tr("&Import Generations…"), this, [this] {
    QString path = QFileDialog::getOpenFileName(this, tr("Import Generations"), QString(),
                                                tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty()) return;
    chartsView_->importGenerations(path);
    views_->setCurrentWidget(chartsView_);
  });
  QMenu* exportMenu = file->addMenu(tr("&Export Tree"));
  for (auto format : {graph::ExportFormat::kDot, graph::ExportFormat::kSvg,
                      graph::ExportFormat::kPdf, graph::ExportFormat::kPng}) {
    QString name = QString::fromStdString(graph::exportFormatName(format));
    exportMenu->addAction(name.toUpper() + QStringLiteral("…"), this, [this, format, name] {
      QString path = QFileDialog::getSaveFileName(this, tr("Export Tree"), QString(),
                                                  QStringLiteral("*.%1").arg(name));
      if (!path.isEmpty()) treeView_->exportGraph(format, path);  // on the pool; see below
    });
  }
  QMenu* exportStepsMenu = file->addMenu(tr("Export &Step Graph"));
  for (auto format : {graph::ExportFormat::kDot, graph::ExportFormat::kSvg,
                      graph::ExportFormat::kPdf, graph::ExportFormat::kPng}) {
    QString name = QString::fromStdString(graph::exportFormatName(format));
    exportStepsMenu->addAction(name.toUpper() + QStringLiteral("…"), this, [this, format, name] {
      QString path = QFileDialog::getSaveFileName(this, tr("Export Step Graph"), QString(),
                                                  QStringLiteral("*.%1").arg(name));
      if (!path.isEmpty()) traceView_->exportGraph(format, path);
    });
  }
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(tr("&Refresh Workspace"), QKeySequence::Refresh, this,
                  &MainWindow::refreshWorkspace);
  for (auto* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
  QMenu* tools = menuBar()->addMenu(tr("&Tools"));
  tools->addAction(tr("&Hosts…"), this, &MainWindow::openHostsDialog);
  tools->addAction(tr("&Compare Runs"), this, [this] { views_->setCurrentWidget(compareView_); });
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Plugins…"), this, [this] { showPluginsDialog(this); });
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
  views_->setCurrentIndex(settings.value("mainWindow/tab", 0).toInt());
  if (settings.value("workspace/last").toString() == workspaceDir_) {
    pendingRunId_ = settings.value("workspace/lastRun", 0).toLongLong();
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("mainWindow/geometry", saveGeometry());
  settings.setValue("mainWindow/state", saveState());
  settings.setValue("mainWindow/tab", views_->currentIndex());
  settings.setValue("workspace/last", workspaceDir_);
  settings.setValue("workspace/lastRun", QVariant::fromValue<qint64>(currentRunId_));
  refreshTimer_->stop();
  event->accept();
}

void MainWindow::openWorkspace(const QString& dir) {
  workspaceDir_ = dir;
  workspaceLabel_->setText(tr("Workspace: %1").arg(workspaceDir_));
  setWindowTitle(tr("Astro Studio — %1").arg(workspaceDir_));
  std::filesystem::path folder = workspaceDir_.toStdString();
  currentRunId_ = 0;
  workspaceModel_->setSnapshot({});
  // A run's checkpoints and evaluations, read on a pool thread when it is expanded.
  workspaceModel_->setContentsReader(
      [folder](std::int64_t runId) { return readRunContents(folder, runId); });
  logPanel_->setWorkspace(folder);
  chartsView_->setWorkspace(folder);
  compareView_->setWorkspace(folder);
  overview_->clear();
  treeView_->showRun(folder, 0);
  traceView_->showRun(folder, 0);
  samplesView_->showRun(folder, 0);
  launchView_->setWorkspace(folder);
  mirrors_->reattach(folder);
  refreshWorkspace();
  refreshTimer_->start();
}

void MainWindow::refreshWorkspace() {
  std::filesystem::path folder = workspaceDir_.toStdString();
  snapshotJobs_.start(
      [folder](const std::atomic<bool>&) { return readWorkspaceSnapshot(folder); },
      [this](WorkspaceSnapshot snapshot) {
        if (!snapshot.error.isEmpty()) {
          statusBar()->showMessage(tr("Cannot read the workspace: %1").arg(snapshot.error));
        }
        // A reset drops the view's selection: keep the selected runs by id.
        std::vector<std::int64_t> selected, expanded;
        for (const auto& index : runTree_->selectionModel()->selectedRows()) {
          selected.push_back(index.data(WorkspaceModel::kRunIdRole).toLongLong());
        }
        for (const auto& run : workspaceModel_->runs()) {
          auto index = runFilter_->mapFromSource(workspaceModel_->indexOfRun(run.run.id));
          if (index.isValid() && runTree_->isExpanded(index)) expanded.push_back(run.run.id);
        }
        workspaceModel_->setSnapshot(std::move(snapshot));
        expandRunTree(expanded);
        QItemSelection selection;
        for (auto runId : selected) {
          auto index = runFilter_->mapFromSource(workspaceModel_->indexOfRun(runId));
          if (index.isValid()) selection.select(index, index);
        }
        {
          QSignalBlocker block(runTree_->selectionModel());
          runTree_->selectionModel()->select(
              selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
        if (pendingRunId_ != 0) {
          auto runId = pendingRunId_;
          pendingRunId_ = 0;
          selectRun(runId);
        }
        Q_EMIT workspaceLoaded(static_cast<int>(workspaceModel_->runs().size()));
      });
}

void MainWindow::expandRunTree(const std::vector<std::int64_t>& runIds) {
  // A reset collapses the view: groups open, and the runs that were open open again.
  if (workspaceModel_->groupedByKind()) {
    for (int row = 0; row < runFilter_->rowCount(); ++row)
      runTree_->expand(runFilter_->index(row, 0));
  }
  for (auto runId : runIds) {
    auto index = runFilter_->mapFromSource(workspaceModel_->indexOfRun(runId));
    if (index.isValid()) runTree_->expand(index);
  }
}

void MainWindow::selectRun(std::int64_t runId) {
  auto index = runFilter_->mapFromSource(workspaceModel_->indexOfRun(runId));
  if (!index.isValid()) {
    pendingRunId_ = runId;  // not loaded yet: select when the next snapshot arrives
    return;
  }
  runTree_->selectionModel()->setCurrentIndex(
      index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  runTree_->scrollTo(index);
}

void MainWindow::onRunSelectionChanged() {
  std::vector<std::int64_t> runIds;
  for (const auto& index : runTree_->selectionModel()->selectedRows()) {
    auto runId = index.data(WorkspaceModel::kRunIdRole).toLongLong();
    if (runId == 0) continue;  // a group row
    if (std::find(runIds.begin(), runIds.end(), runId) == runIds.end()) runIds.push_back(runId);
  }
  auto current = runTree_->currentIndex();
  std::int64_t runId = current.isValid() ? current.data(WorkspaceModel::kRunIdRole).toLongLong()
                                         : (runIds.empty() ? 0 : runIds.front());
  chartsView_->setRuns(runIds);
  compareView_->setRuns(runIds);
  if (runId == currentRunId_ || runId == 0) return;
  currentRunId_ = runId;
  std::filesystem::path folder = workspaceDir_.toStdString();
  overview_->showRun(folder, runId);
  logPanel_->showRun(runId);
  treeView_->showRun(folder, runId);
  traceView_->showRun(folder, runId);
  samplesView_->showRun(folder, runId);
}

HostsDialog* MainWindow::hostsDialog() const { return hostsDialog_; }

HostsDialog* MainWindow::openHostsDialog() {
  if (!hostsDialog_) {
    hostsDialog_ = new HostsDialog(remote::hostsFolder(), astroCliPath(), this);
    connect(hostsDialog_, &HostsDialog::profilesChanged, launchView_, &LaunchView::reloadHosts);
  } else {
    hostsDialog_->reload();  // `astro hosts add` may have written one since
  }
  hostsDialog_->show();
  hostsDialog_->raise();
  hostsDialog_->activateWindow();
  return hostsDialog_;
}

void MainWindow::showRunTreeMenu(const QPoint& position) {
  QModelIndex index = runTree_->indexAt(position);
  if (!index.isValid() || !index.data(WorkspaceModel::kOnHostRole).toBool()) return;
  std::int64_t runId = index.data(WorkspaceModel::kRunIdRole).toLongLong();
  std::int64_t artifactId = index.data(WorkspaceModel::kArtifactIdRole).toLongLong();
  QMenu menu(this);
  QAction* fetch = menu.addAction(tr("&Fetch from Host"), this,
                                  [this, runId, artifactId] { fetchArtifact(runId, artifactId); });
  fetch->setEnabled(!fetch_->fetching(runId, artifactId));
  menu.exec(runTree_->viewport()->mapToGlobal(position));
}

void MainWindow::fetchArtifact(std::int64_t runId, std::int64_t artifactId) {
  fetch_->fetch(workspaceDir_.toStdString(), runId, artifactId);
}

void MainWindow::onArtifactFetched(std::int64_t runId, const QString& error) {
  if (!error.isEmpty()) {
    showError(tr("Fetch"), error);
    return;
  }
  workspaceModel_->reloadContents(runId);
  if (overview_->runId() == runId) overview_->showRun(workspaceDir_.toStdString(), runId);
}

void MainWindow::chooseWorkspace() {
  QString dir = QFileDialog::getExistingDirectory(this, tr("Open Workspace"), workspaceDir_);
  if (dir.isEmpty()) return;
  openWorkspace(dir);
}

void MainWindow::openTreeDialog() {
  QString path = QFileDialog::getOpenFileName(this, tr("Open Tree"), workspaceDir_,
                                              tr("Search trees (*.json *.jsonl);;All files (*)"));
  if (path.isEmpty()) return;
  views_->setCurrentWidget(treeView_);
  treeView_->openFile(path);
}

// A status line, not a modal box: the failed action's view shows the error where its data would
// be (tree, trace, export), the status line names it with the action.
void MainWindow::showError(const QString& title, const QString& message) {
  statusBar()->showMessage(tr("%1: %2").arg(title, message), 15000);
}

bool MainWindow::saveScreenshot(const QString& path) { return grab().save(path, "PNG"); }

}  // namespace astro::gui
