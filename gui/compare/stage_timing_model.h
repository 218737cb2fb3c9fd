// The Compare view's stage timings: one row per stage (matched across runs by kind, in pipeline
// order; core/analysis/run_comparison.h), one column per run with the stage's duration and, when
// it did not finish, its status; start and end in the tooltip. A last row sums each run's
// stages.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "core/analysis/run_comparison.h"

namespace astro::gui {

class StageTimingModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  static constexpr int kStage = 0;  // run columns follow, in the order of the runs
  static constexpr int kSecondsRole = Qt::UserRole + 1;  // a run cell's duration (double)

  explicit StageTimingModel(QObject* parent = nullptr);

  void setTimings(std::vector<store::Run> runs, std::vector<analysis::StageTimingRow> rows);
  void clear() { setTimings({}, {}); }
  int totalRow() const { return static_cast<int>(rows_.size()); }  // valid when there are runs

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QVariant stageData(const std::optional<store::Stage>& stage, int role) const;
  QVariant totalData(std::size_t run, int role) const;

  std::vector<store::Run> runs_;
  std::vector<analysis::StageTimingRow> rows_;
};

// "0.42 s", "12.3 s", "4 min 2 s": sub-second stages of small runs still compare.
QString stageDurationText(double seconds);

}  // namespace astro::gui
