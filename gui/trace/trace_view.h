// The trace view: a chain of thought beside its step list and its step graph (core/analysis step
// graph, laid out by core/graph layoutStepGraph on a pool thread). Moving the cursor in the text
// selects the step in the list and the graph, selecting a step in the list selects its text and
// node, and clicking a node selects its step and text; backtracks,
// restarts and reflections are highlighted; the verdict and extracted answer are shown on top.
// On the left, the selected run's stored samples and rollouts (TraceSamplePanel): choosing one
// shows its completion here.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/analysis/step_graph.h"
#include "core/graph/graph_export.h"
#include "gui/common/job_tracker.h"

class QLabel;
class QListView;
class QPlainTextEdit;

namespace astro::gui {

class ExportProgress;
class StepGraphView;
class StepListModel;
class TraceSamplePanel;

enum class DetectorChoice { kExact, kHeuristic };

class TraceView : public QWidget {
  Q_OBJECT
 public:
  explicit TraceView(QWidget* parent = nullptr);

  // Detects the steps on a worker thread (exact: a trace this project rendered, read with the
  // step delimiter and phrase set of the domain that claims `problem`, the fallback's when it is
  // empty; heuristic: free-form output), then shows it. `correct` is the known verdict.
  void showTrace(QString title, std::string trace, DetectorChoice detector,
                 std::optional<bool> correct, std::string problem = {});
  void openTextFile(const QString& path);
  // Lists run `runId`'s stored samples beside the trace (0 clears the list).
  void showRun(const std::filesystem::path& folder, std::int64_t runId);
  TraceSamplePanel* samplePanel() const { return samples_; }

  bool isReady() const { return ready_; }
  StepListModel* stepModel() const { return steps_; }
  QPlainTextEdit* textView() const { return text_; }
  QListView* stepView() const { return stepList_; }
  StepGraphView* graphView() const { return graphView_; }
  // Whether the current trace's step graph is drawn (it is laid out after the text is shown).
  bool isGraphReady() const { return graphReady_; }
  int selectedStep() const;
  void selectStep(int index);
  QString verdictText() const;
  const analysis::StepGraph& graph() const { return graph_; }
  // Renders the shown trace's step graph as DOT, SVG, PDF or PNG (Graphviz) on the pool and
  // writes `path`, with progress and Cancel below the view; exportFinished tells how it went.
  void exportGraph(graph::ExportFormat format, const QString& path);
  ExportProgress* exportProgress() const { return export_; }

 Q_SIGNALS:
  void traceShown();
  void graphShown();
  void exportFinished(const QString& path, const QString& error);  // error empty: written

 private:
  void highlight();
  void onCursorMoved();
  void layoutGraph(std::string trace);

  QLabel* verdict_ = nullptr;
  TraceSamplePanel* samples_ = nullptr;
  QPlainTextEdit* text_ = nullptr;
  QListView* stepList_ = nullptr;
  StepListModel* steps_ = nullptr;
  StepGraphView* graphView_ = nullptr;
  ExportProgress* export_ = nullptr;
  QLabel* graphError_ = nullptr;  // a failed layout, where the graph would be
  analysis::StepGraph graph_;
  std::string trace_;  // the text graph_'s offsets index
  bool ready_ = false;
  bool syncing_ = false;
  bool graphReady_ = false;
  JobTracker jobs_{this};
  JobTracker layoutJobs_{this};
};

}  // namespace astro::gui
