// The problems list of a run: one row per stored search tree (problem id, nodes, depth, correct
// and wrong terminals, terminals, subject, level, stage, problem), over TreeRepository. Rows
// arrive a page at a time, each read on a worker thread; canFetchMore/fetchMore ask for the next
// page as the view scrolls, so a run with 100,000 trees opens at once and the GUI thread never
// touches the database. The filter (solved, subject, level, text) and the sort (sort(): by nodes,
// depth, terminals, correct or wrong terminals; the problem id column is the stored order) run in
// SQL, so a sorted list is sorted over every tree, not the loaded ones. refresh() picks up trees a
// running search stored since: appended in stored order, the rows read again in a sorted one.
#pragma once

#include <QAbstractTableModel>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/store/tree_repository.h"
#include "gui/common/job_tracker.h"

namespace astro::gui {

struct RunTreePage;

class RunTreeListModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    kProblemId,
    kNodes,  // the counts, kNodes to kTerminals, sort in SQL
    kDepth,
    kCorrect,
    kWrong,
    kTerminals,
    kSubject,
    kLevel,
    kStage,
    kProblem,
    kColumnCount
  };
  static constexpr int kTreeIdRole = Qt::UserRole + 1;
  static constexpr int kDefaultPageSize = 200;

  explicit RunTreeListModel(QObject* parent = nullptr, int pageSize = kDefaultPageSize);

  // Drops the rows and reads the run's first page (a later call supersedes a pending read).
  void setRun(const std::filesystem::path& folder, std::int64_t runId);
  void clear();
  // Drops the rows and reads the first page that matches `filter` (kept across setRun).
  void setFilter(const store::TreeFilter& filter);
  const store::TreeFilter& filter() const { return filter_; }
  // Drops the rows and reads the first page in `order` (kept across setRun and setFilter).
  void setOrder(const store::TreeOrder& order);
  const store::TreeOrder& order() const { return order_; }
  // The row of tree `treeId` among the loaded ones, or -1.
  int rowOfTree(std::int64_t treeId) const;
  // Reads the count of matching trees again (and the run's status, subjects and levels); when
  // every row was loaded, new trees are appended. Skipped while a read is in flight.
  void refresh();
  std::int64_t runId() const { return runId_; }
  // The run's subjects and levels (from the first page and each refresh).
  const std::vector<std::string>& subjects() const { return subjects_; }
  const std::vector<int>& levels() const { return levels_; }
  // The run's status was running at the last read: more trees may come.
  bool isRunRunning() const { return runRunning_; }
  // Trees of the run that match the filter (all pages); -1 until the first page arrived.
  qint64 totalTrees() const { return total_; }
  bool isLoading() const { return jobs_.isRunning(); }
  const store::TreeSummary& summary(int row) const { return rows_[static_cast<std::size_t>(row)]; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 Q_SIGNALS:
  // After each page was inserted (`rows`: how many rows the model holds now).
  void pageLoaded(int rows);
  void loadFailed(const QString& message);
  // A refresh found a different count, or other subjects or levels.
  void refreshed();

 private:
  void requestPage(bool withTopics);
  void requestRows(std::int64_t after, std::int64_t limit, bool withTopics, bool replaces);
  void applyPage(RunTreePage page);
  void replaceRows(RunTreePage page);
  void dropRows();
  bool storedOrder() const {
    return order_.key == store::TreeSortKey::kStored && !order_.descending;
  }
  std::int64_t lastId() const { return rows_.empty() ? 0 : rows_.back().id; }
  // Where the next page starts: after the last tree id (stored order) or after the loaded rows.
  std::int64_t cursor() const {
    return storedOrder() ? lastId() : static_cast<std::int64_t>(rows_.size());
  }

  std::filesystem::path folder_;
  std::int64_t runId_ = 0;
  store::TreeFilter filter_;
  store::TreeOrder order_;
  int pageSize_;
  qint64 total_ = -1;
  bool runRunning_ = false;
  std::vector<std::string> subjects_;
  std::vector<int> levels_;
  std::vector<store::TreeSummary> rows_;
  JobTracker jobs_{this};
};

}  // namespace astro::gui
