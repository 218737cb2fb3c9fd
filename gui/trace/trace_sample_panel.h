// The Trace view's own list of the selected run's stored completions (evaluation samples and GRPO
// rollouts, core/store SampleRepository): a narrow table over StoredSampleModel, read in keyset
// pages on the pool as it scrolls, with kind, verdict and text filters run in SQL. Choosing a row
// hands its sample to the Trace view, which shows the completion beside its step graph.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>

#include "core/store/sample_repository.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace astro::gui {

class StoredSampleModel;

class TraceSamplePanel : public QWidget {
  Q_OBJECT
 public:
  explicit TraceSamplePanel(QWidget* parent = nullptr);

  // Lists run `runId`'s samples (0 clears the list); the filters stay as chosen.
  void showRun(const std::filesystem::path& folder, std::int64_t runId);
  StoredSampleModel* model() const { return model_; }
  QTableView* view() const { return view_; }
  QComboBox* kindBox() const { return kind_; }
  QComboBox* verdictBox() const { return verdict_; }
  QLineEdit* searchBox() const { return search_; }
  // Selects `row` (which shows its completion); false when the row is not loaded.
  bool selectRow(int row);

 Q_SIGNALS:
  void sampleChosen(const store::StoredSample& sample);

 private:
  void applyFilter();
  void updateStatus();

  std::filesystem::path folder_;
  std::int64_t runId_ = 0;
  QComboBox* kind_ = nullptr;
  QComboBox* verdict_ = nullptr;
  QLineEdit* search_ = nullptr;
  QTimer* searchDelay_ = nullptr;
  QTableView* view_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* error_ = nullptr;
  StoredSampleModel* model_ = nullptr;
};

}  // namespace astro::gui
