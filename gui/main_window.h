// The studio's main window: workspace side panel (runs and their stages, filterable; Fetch on the
// checkpoints of a mirrored run that are still on its host), log panel fed by the selected run's
// event log, views in tabs (overview, search tree, trace, charts, samples, launch, compare: the
// selected runs side by side), the Hosts dialog (Tools > Hosts…), Help > Plugins; it restores
// its layout and the last workspace and run with QSettings, and re-attaches the mirrors of the
// workspace's remote runs when it opens one.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <cstdint>
#include <vector>

#include "gui/common/job_tracker.h"

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTabWidget;
class QTimer;
class QTreeView;

namespace astro::gui {

class ArtifactFetch;
class ChartsView;
class CompareView;
class EventLogPanel;
class HostsDialog;
class LaunchView;
class MirrorReattach;
class RunOverviewView;
class SamplesView;
class TraceView;
class TreeView;
class WorkspaceModel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QString workspaceDir, QWidget* parent = nullptr);
  ~MainWindow() override;

  QString workspaceDir() const { return workspaceDir_; }
  void openWorkspace(const QString& dir);
  // Re-reads the runs on a worker thread; a refresh started later supersedes this one.
  void refreshWorkspace();
  // Selects the run in the side panel (when loaded) and shows it in every view.
  void selectRun(std::int64_t runId);
  std::int64_t currentRunId() const { return currentRunId_; }

  WorkspaceModel* workspaceModel() const { return workspaceModel_; }
  QSortFilterProxyModel* runFilterModel() const { return runFilter_; }
  QTreeView* runTree() const { return runTree_; }
  QTabWidget* views() const { return views_; }
  EventLogPanel* logPanel() const { return logPanel_; }
  RunOverviewView* overviewView() const { return overview_; }
  TreeView* treeView() const { return treeView_; }
  TraceView* traceView() const { return traceView_; }
  ChartsView* chartsView() const { return chartsView_; }
  SamplesView* samplesView() const { return samplesView_; }
  LaunchView* launchView() const { return launchView_; }
  CompareView* compareView() const { return compareView_; }
  HostsDialog* hostsDialog() const;  // null until first opened
  MirrorReattach* mirrorReattach() const { return mirrors_; }
  ArtifactFetch* artifactFetch() const { return fetch_; }
  // Shows the Hosts dialog (created on first use, its profiles read again).
  HostsDialog* openHostsDialog();
  // Copies a mirrored run's artifact from its host (`astro fetch`); the side panel and the
  // overview show it once it is here.
  void fetchArtifact(std::int64_t runId, std::int64_t artifactId);
  // Renders the window (all of it, as shown) to a PNG; false when it could not be written.
  bool saveScreenshot(const QString& path);

 Q_SIGNALS:
  void workspaceLoaded(int runCount);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildPanels();
  void buildMenus();
  void restoreLayout();
  void chooseWorkspace();
  void openTreeDialog();
  void onRunSelectionChanged();
  void expandRunTree(const std::vector<std::int64_t>& runIds);
  void showRunTreeMenu(const QPoint& position);
  void onArtifactFetched(std::int64_t runId, const QString& error);
  void showError(const QString& title, const QString& message);

  QString workspaceDir_;
  std::int64_t currentRunId_ = 0;
  std::int64_t pendingRunId_ = 0;  // to select once the first snapshot arrives
  QLabel* workspaceLabel_ = nullptr;
  QTabWidget* views_ = nullptr;
  WorkspaceModel* workspaceModel_ = nullptr;
  QSortFilterProxyModel* runFilter_ = nullptr;
  QTreeView* runTree_ = nullptr;
  QLineEdit* filter_ = nullptr;
  EventLogPanel* logPanel_ = nullptr;
  RunOverviewView* overview_ = nullptr;
  TreeView* treeView_ = nullptr;
  TraceView* traceView_ = nullptr;
  ChartsView* chartsView_ = nullptr;
  SamplesView* samplesView_ = nullptr;
  LaunchView* launchView_ = nullptr;
  CompareView* compareView_ = nullptr;
  QPointer<HostsDialog> hostsDialog_;
  MirrorReattach* mirrors_ = nullptr;
  ArtifactFetch* fetch_ = nullptr;
  QTimer* refreshTimer_ = nullptr;
  JobTracker snapshotJobs_{this};
};

}  // namespace astro::gui
