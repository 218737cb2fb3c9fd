// The samples view: imported generations in a sortable, filterable table (QSortFilterProxyModel
// over SampleTableModel; the filter matches any column, the verdict box narrows to correct or
// wrong), beside GRPO groups (rollouts of one prompt at one checkpoint). Activating a sample
// opens its completion in the trace view; selecting a group shows its rollouts.
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

#include "core/analysis/generation_import.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace astro::gui {

class GroupTableModel;
class SampleTableModel;

class SamplesView : public QWidget {
  Q_OBJECT
 public:
  explicit SamplesView(QWidget* parent = nullptr);

  void setSamples(std::shared_ptr<const std::vector<analysis::ImportedSample>> samples,
                  const QString& source);
  SampleTableModel* sampleModel() const { return samples_; }
  QSortFilterProxyModel* proxyModel() const { return proxy_; }
  QTableView* table() const { return table_; }
  GroupTableModel* groupModel() const { return groups_; }
  // Shows only the rollouts of group `row` in the sample table.
  void selectGroup(int row);
  void setFilterText(const QString& text);
  // Opens the sample behind proxy row `row`.
  void activateRow(int row);

 Q_SIGNALS:
  void sampleActivated(const analysis::ImportedSample& sample);

 private:
  SampleTableModel* samples_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
  QTableView* table_ = nullptr;
  GroupTableModel* groups_ = nullptr;
  QTableView* groupTable_ = nullptr;
  QLineEdit* filter_ = nullptr;
  QComboBox* verdict_ = nullptr;
  QLabel* status_ = nullptr;
};

}  // namespace astro::gui
