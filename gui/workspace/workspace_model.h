// The workspace side panel's model: runs (name after a swatch of the run's colour, status,
// progress, ETA), optionally grouped by kind under "Native runs" and "Imported runs" rows, over a
// WorkspaceSnapshot read off the GUI thread.
// Under each run: its stages, then its checkpoints and evaluations (run_contents.h). A run's rows
// are created only when it is expanded (canFetchMore/fetchMore): stages come with the snapshot and
// are delivered from the event loop; checkpoints and evaluations are read on a pool thread by the
// contents reader (when one is set), so a workspace of many runs opens at once. A run mirrored
// from a host names it beside its status. Each snapshot reads the contents of a running run (and
// of one whose row changed) again, so new checkpoints and evaluations appear while it runs; a
// newer read of a run supersedes an older one still on its way.
#pragma once

#include <QAbstractItemModel>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "gui/workspace/run_contents.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

class WorkspaceModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Column { kName, kStatus, kProgress, kEta, kColumnCount };
  // kArtifactIdRole and kOnHostRole: a checkpoint row's artifact id (0 when an evaluation names
  // it), and whether its files are still only on a mirrored run's host.
  enum Role {
    kRunIdRole = Qt::UserRole + 1,
    kStageIdRole,
    kRowKindRole,
    kArtifactIdRole,
    kOnHostRole
  };
  // kRowKindRole's values.
  enum class RowKind { kGroup, kRun, kStage, kCheckpoint, kEvaluation };
  using ContentsReader = std::function<RunContents(std::int64_t runId)>;

  explicit WorkspaceModel(QObject* parent = nullptr);

  // Replaces the contents; runs keep their expanded (fetched) state and contents by id.
  void setSnapshot(WorkspaceSnapshot snapshot);
  // Called on a pool thread for an expanded run; without one, runs show their stages only.
  void setContentsReader(ContentsReader reader);
  // Top-level rows are "Native runs" and "Imported runs" groups (those with runs) when on.
  void setGroupedByKind(bool grouped);
  bool groupedByKind() const { return grouped_; }
  const std::vector<RunSummary>& runs() const { return runs_; }
  QModelIndex indexOfRun(std::int64_t runId) const;
  // Reads a run's checkpoints and evaluations again (after a fetch) when they were read before;
  // its rows are replaced once the read arrives.
  void reloadContents(std::int64_t runId);

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

 Q_SIGNALS:
  // A run's checkpoints and evaluations arrived (its rows are inserted).
  void runContentsLoaded(std::int64_t runId);

 private:
  struct Group {
    QString name;
    std::vector<std::size_t> runs;  // indices into runs_, in snapshot order
  };
  struct Child {
    RowKind kind = RowKind::kStage;
    std::size_t index = 0;  // into the run's stages, checkpoints or evaluations
  };
  // What an index points at: a group, a run, or a run's child.
  struct Node {
    RowKind kind = RowKind::kRun;
    std::size_t group = 0;
    std::size_t run = 0;
    std::size_t child = 0;
  };
  Node nodeOf(const QModelIndex& index) const;
  QModelIndex runIndex(std::size_t run, int column = 0) const;
  std::vector<Child> childrenOf(std::size_t run) const;
  void rebuildGroups();
  void readContents(std::int64_t runId, void (WorkspaceModel::*apply)(RunContents));
  void applyContents(RunContents contents);
  void replaceContents(RunContents contents);
  QVariant runData(const RunSummary& run, int column, int role) const;
  QString contentsError(std::int64_t runId) const;  // empty when read, or not read yet
  QVariant childData(std::size_t run, const Child& child, int column, int role) const;

  std::vector<RunSummary> runs_;
  std::vector<Group> groups_;
  std::vector<std::size_t> groupOfRun_;
  std::vector<std::size_t> rowInGroup_;
  std::vector<bool> fetched_;                     // per run: its child rows exist
  std::map<std::int64_t, RunContents> contents_;  // by run id, once read
  std::set<std::int64_t> requested_;              // runs whose rows are on their way
  ContentsReader reader_;
  std::uint64_t readerGeneration_ = 0;  // results of an older reader are dropped
  std::map<std::int64_t, std::uint64_t> contentsRequests_;  // per run: the latest read's number
  bool grouped_ = false;
};

}  // namespace astro::gui
