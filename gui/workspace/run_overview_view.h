// Run overview: the run's config text, its stage timeline with durations, the latest value of
// every metric, and the artifacts and datasets it used (by content hash); for a run mirrored from
// a host, where it runs (host profile, remote run id, Slurm job and state, the mirror's last
// contact and error). Read off the GUI thread.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>

#include "gui/common/job_tracker.h"
#include "gui/workspace/workspace_data.h"

class QLabel;
class QPlainTextEdit;
class QTableView;

namespace astro::gui {

class ValueTableModel;

class RunOverviewView : public QWidget {
  Q_OBJECT
 public:
  explicit RunOverviewView(QWidget* parent = nullptr);

  void showRun(const std::filesystem::path& workspace, std::int64_t runId);
  void clear();
  // Emits artifactOpened for the artifact in row `row` of the artifact table.
  void openArtifact(int row);
  std::int64_t runId() const { return runId_; }
  QString remoteText() const;  // empty for a run of this machine
  ValueTableModel* stageModel() const { return stages_; }
  ValueTableModel* metricModel() const { return metrics_; }
  ValueTableModel* artifactModel() const { return artifacts_; }

 Q_SIGNALS:
  void loaded();
  // An artifact the user asked to open: its absolute path (inside the workspace) and kind.
  void artifactOpened(const QString& path, const QString& kind);

 private:
  void apply(const RunOverview& overview);
  QTableView* addTable(const QString& title, ValueTableModel* model, QWidget* parent);

  std::filesystem::path workspace_;
  std::int64_t runId_ = 0;
  QLabel* title_ = nullptr;
  QLabel* remote_ = nullptr;
  QPlainTextEdit* config_ = nullptr;
  ValueTableModel* stages_ = nullptr;
  ValueTableModel* metrics_ = nullptr;
  ValueTableModel* artifacts_ = nullptr;
  ValueTableModel* datasets_ = nullptr;
  JobTracker jobs_{this};
};

}  // namespace astro::gui
