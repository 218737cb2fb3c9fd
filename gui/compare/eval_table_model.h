// The Compare view's evaluation table: one row per benchmark and checkpoint, one column per run
// with pass@1 and its 95% bootstrap interval ("0.62 [0.52, 0.71]"; core/analysis/
// run_comparison.h says how it is computed); "—" where a run did not evaluate that checkpoint.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "core/analysis/run_comparison.h"

namespace astro::gui {

class EvalTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  static constexpr int kBenchmark = 0;
  static constexpr int kCheckpoint = 1;  // run columns follow, in the order of the runs
  static constexpr int kFirstRun = 2;
  static constexpr int kPassAt1Role = Qt::UserRole + 1;  // a run cell's estimate (double)
  static constexpr int kLowRole = Qt::UserRole + 2;
  static constexpr int kHighRole = Qt::UserRole + 3;

  explicit EvalTableModel(QObject* parent = nullptr);

  void setRows(std::vector<store::Run> runs, std::vector<analysis::EvalRow> rows);
  void clear() { setRows({}, {}); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QVariant cellData(const std::optional<analysis::EvalCell>& cell, int role) const;

  std::vector<store::Run> runs_;
  std::vector<analysis::EvalRow> rows_;
};

// "0.62 [0.52, 0.71]".
QString passAt1Text(const analysis::Interval& interval);

}  // namespace astro::gui
