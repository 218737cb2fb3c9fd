// The problems list of a run: one row per stored search tree (problem id, correct terminals,
// nodes, depth, terminals, subject, level, stage, problem), over TreeRepository. Rows arrive a
// keyset page at a time, each read on a worker thread; canFetchMore/fetchMore ask for the next page
// as the view scrolls, so a run with 100,000 trees opens at once and the GUI thread never touches
// the database. The filter (solved, subject, level, text) runs in SQL; refresh() picks up trees a
// running search stored since, appending them without disturbing the rows already shown.
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
    kCorrect,
    kNodes,
    kDepth,
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
  void applyPage(RunTreePage page);
  std::int64_t lastId() const { return rows_.empty() ? 0 : rows_.back().id; }

  std::filesystem::path folder_;
  std::int64_t runId_ = 0;
  store::TreeFilter filter_;
  int pageSize_;
  qint64 total_ = -1;
  bool runRunning_ = false;
  std::vector<std::string> subjects_;
  std::vector<int> levels_;
  std::vector<store::TreeSummary> rows_;
  JobTracker jobs_{this};
};

}  // namespace astro::gui
