// The search tree view: opens trees from a run of the workspace (the problems panel lists the
// run's stored trees; choosing one reads it on a worker thread) or from interchange JSON/JSONL
// files, lays them out on a worker thread with core/graph (a newer layout cancels the one
// running), draws them with TreeScene, and shows the clicked node's step in a side panel. Large
// trees are pruned by visits first; "Show all" lays out every node. Find (Ctrl+F) selects the
// next node whose step contains the text. A failed read or layout is shown in red above the
// canvas; exports run on the pool (ExportProgress).
#pragma once

#include <QElapsedTimer>
#include <QWidget>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/graph/graph_export.h"
#include "core/search/tree.h"
#include "gui/common/job_tracker.h"
#include "gui/tree/tree_scene.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace astro::gui {

class ExportProgress;
class GraphCanvas;
class RunTreePanel;

class TreeView : public QWidget {
  Q_OBJECT
 public:
  // Trees above this many nodes open pruned by visits; "Show all" lifts the limit.
  static constexpr int kInitialNodeLimit = 2500;

  explicit TreeView(QWidget* parent = nullptr);
  ~TreeView() override;

  // Loads the file on a worker thread (JSON: one tree; JSONL: many, chosen in a combo box).
  void openFile(const QString& path);
  // Lists the run's stored trees in the problems panel and opens the first one (0: clears it).
  void showRun(const std::filesystem::path& folder, std::int64_t runId);
  // Reads stored tree `treeId` of the workspace shown by showRun on a worker thread and shows it.
  void openStoredTree(qint64 treeId, const QString& label);
  // `label` names the trees in the chooser ("file.jsonl", "run 3 · p-7").
  void showTrees(std::vector<search::SearchTree> trees, const QString& label);
  void showTree(int index);
  void showAllNodes();

  bool isLayoutReady() const { return layoutReady_; }
  qint64 lastShowMilliseconds() const { return lastShowMilliseconds_; }
  TreeScene* scene() const { return scene_; }
  RunTreePanel* runTreePanel() const { return runTrees_; }
  GraphCanvas* canvas() const { return canvas_; }
  const search::SearchTree* currentTree() const;
  // The linearized path drawn over the tree (empty without a correct terminal).
  const search::NodeSequence& path() const { return path_; }
  QString stepText() const;
  // The read or layout error shown above the canvas; empty when none.
  QString errorText() const;
  void selectNode(int id);
  // Selects the next node (after the selected one) whose step contains `text`; false if none.
  bool findNext(const QString& text);
  // Renders the open tree (pruned as drawn) with Graphviz on the pool and writes `path`, with
  // progress and Cancel in the status line; exportFinished tells how it went.
  void exportGraph(graph::ExportFormat format, const QString& path);
  ExportProgress* exportProgress() const { return export_; }

 Q_SIGNALS:
  void layoutFinished();
  void treeLoadFailed(const QString& message);
  void exportFinished(const QString& path, const QString& error);  // error empty: written
  // The rendered chain of thought of the drawn path, for the trace view.
  void traceRequested(int treeIndex);

 private:
  void startLayout(int nodeLimit);
  void showSelectedNode();
  void setStatus(const QString& text);
  void showReadError(const QString& message);

  std::filesystem::path runFolder_;
  bool openFirstRunTree_ = false;  // showRun opens the first tree once the list arrives
  std::shared_ptr<const std::vector<search::SearchTree>> trees_;
  int treeIndex_ = -1;
  search::NodeSequence path_;
  bool layoutReady_ = false;
  qint64 lastShowMilliseconds_ = -1;
  QElapsedTimer showClock_;
  QComboBox* treeChooser_ = nullptr;
  QComboBox* coloring_ = nullptr;
  QLineEdit* find_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* error_ = nullptr;
  ExportProgress* export_ = nullptr;
  RunTreePanel* runTrees_ = nullptr;
  GraphCanvas* canvas_ = nullptr;
  TreeScene* scene_ = nullptr;
  QPlainTextEdit* stepPanel_ = nullptr;
  JobTracker loadJobs_{this};
  JobTracker layoutJobs_{this};
};

}  // namespace astro::gui
