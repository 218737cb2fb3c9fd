// The Compare view's config table: one row per config key whose value differs between the runs
// (core/analysis/config_diff.h), the key first, then one column per run; "—" where a run's config
// lacks the key.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "core/analysis/config_diff.h"
#include "core/store/run_repository.h"

namespace astro::gui {

class ConfigDiffModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  static constexpr int kKey = 0;  // run columns follow, in the order of the runs

  explicit ConfigDiffModel(QObject* parent = nullptr);

  void setDiff(std::vector<store::Run> runs, std::vector<analysis::ConfigDiffRow> rows);
  void clear() { setDiff({}, {}); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<store::Run> runs_;
  std::vector<analysis::ConfigDiffRow> rows_;
};

}  // namespace astro::gui
