// The workspace side panel's model: runs (name, status, progress, ETA) with their stages as
// children, over a WorkspaceSnapshot read off the GUI thread. Stage rows are created only when a
// run is expanded (canFetchMore/fetchMore, delivered from the event loop), so a workspace of many
// runs opens at once.
#pragma once

#include <QAbstractItemModel>
#include <set>
#include <vector>

#include "gui/workspace/workspace_data.h"

namespace astro::gui {

class WorkspaceModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Column { kName, kStatus, kProgress, kEta, kColumnCount };
  enum Role { kRunIdRole = Qt::UserRole + 1, kStageIdRole };

  explicit WorkspaceModel(QObject* parent = nullptr);

  // Replaces the contents; runs keep their expanded (fetched) state by id.
  void setSnapshot(WorkspaceSnapshot snapshot);
  const std::vector<RunSummary>& runs() const { return runs_; }
  QModelIndex indexOfRun(std::int64_t runId) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QVariant runData(const RunSummary& run, int column, int role) const;
  QVariant stageData(const store::Stage& stage, int column, int role) const;

  std::vector<RunSummary> runs_;
  std::vector<bool> fetched_;         // per run: stage rows exist
  std::set<std::int64_t> requested_;  // runs whose stage rows are on their way
};

}  // namespace astro::gui
