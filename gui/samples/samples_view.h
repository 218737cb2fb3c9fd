// The samples view, over one of two sources. A run of the workspace: its evaluation samples and
// GRPO rollouts from the run store (StoredSampleModel, keyset pages read on the pool as the table
// scrolls; kind, checkpoint, verdict and text filters run in SQL), and below, the GRPO groups of
// a chosen RL step with each rollout's reward and advantage side by side. Or imported generations
// (File > Import Generations…): the whole file in memory (SampleTableModel), filtered by a proxy,
// with groups of one prompt at one checkpoint below. Activating a sample or a rollout opens its
// completion in the trace view.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/analysis/generation_import.h"
#include "core/store/sample_repository.h"
#include "gui/common/job_tracker.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTimer;

namespace astro::gui {

class GroupTableModel;
class RolloutGroupModel;
class SampleTableModel;
class StoredSampleModel;
struct RunSampleSets;

class SamplesView : public QWidget {
  Q_OBJECT
 public:
  explicit SamplesView(QWidget* parent = nullptr);

  // Imported generations (replaces a run's samples in the table).
  void setSamples(std::shared_ptr<const std::vector<analysis::ImportedSample>> samples,
                  const QString& source);
  // The stored samples of run `runId` (0: none); a later call or an import supersedes it.
  void showRun(const std::filesystem::path& folder, std::int64_t runId);
  bool showsRun() const { return showsRun_; }

  SampleTableModel* sampleModel() const { return samples_; }
  StoredSampleModel* storedModel() const { return stored_; }
  RolloutGroupModel* rolloutGroupModel() const { return rolloutGroups_; }
  QSortFilterProxyModel* proxyModel() const { return proxy_; }
  QTableView* table() const { return table_; }
  GroupTableModel* groupModel() const { return groups_; }
  QComboBox* kindBox() const { return kind_; }
  QComboBox* checkpointBox() const { return checkpoint_; }
  QComboBox* verdictBox() const { return verdict_; }
  QComboBox* stepBox() const { return step_; }
  // Shows only the rollouts of imported group `row` in the sample table.
  void selectGroup(int row);
  void setFilterText(const QString& text);
  // Opens the sample behind proxy row `row`.
  void activateRow(int row);
  // The store filter the controls describe now (run mode).
  store::SampleFilter currentFilter() const;

 Q_SIGNALS:
  void sampleActivated(const analysis::ImportedSample& sample);

 private:
  void applyStoreFilter();
  void applySampleSets(RunSampleSets sets);
  void showRolloutStep(std::int64_t step);
  void updateStatus();

  SampleTableModel* samples_ = nullptr;
  StoredSampleModel* stored_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
  QTableView* table_ = nullptr;
  GroupTableModel* groups_ = nullptr;
  QTableView* groupTable_ = nullptr;
  RolloutGroupModel* rolloutGroups_ = nullptr;
  QTableView* rolloutTable_ = nullptr;
  QStackedWidget* lower_ = nullptr;
  QLineEdit* filter_ = nullptr;
  QComboBox* kind_ = nullptr;
  QComboBox* checkpoint_ = nullptr;
  QComboBox* verdict_ = nullptr;
  QComboBox* step_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* error_ = nullptr;  // a failed read, above the table
  QTimer* filterDelay_ = nullptr;
  bool showsRun_ = false;
  std::filesystem::path folder_;
  std::int64_t runId_ = 0;
  QString importSource_;
  int importCount_ = 0;
  JobTracker setsJob_{this};
  JobTracker stepJob_{this};
};

}  // namespace astro::gui
