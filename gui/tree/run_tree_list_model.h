// The problems list of a run: one row per stored search tree (problem id, correct terminals,
// nodes, depth, terminals, stage, problem), over TreeRepository. Rows arrive a page at a time, each
// page read on a worker thread; canFetchMore/fetchMore ask for the next page as the view scrolls,
// so a run with 100,000 trees opens at once and the GUI thread never touches the database.
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
  enum Column { kProblemId, kCorrect, kNodes, kDepth, kTerminals, kStage, kProblem, kColumnCount };
  static constexpr int kTreeIdRole = Qt::UserRole + 1;
  static constexpr int kDefaultPageSize = 200;

  explicit RunTreeListModel(QObject* parent = nullptr, int pageSize = kDefaultPageSize);

  // Drops the rows and reads the run's first page (a later call supersedes a pending read).
  void setRun(const std::filesystem::path& folder, std::int64_t runId);
  void clear();
  std::int64_t runId() const { return runId_; }
  // Trees the run holds (all pages); -1 until the first page arrived.
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

 private:
  void requestPage();
  void applyPage(RunTreePage page);

  std::filesystem::path folder_;
  std::int64_t runId_ = 0;
  int pageSize_;
  qint64 total_ = -1;
  std::vector<store::TreeSummary> rows_;
  JobTracker jobs_{this};
};

}  // namespace astro::gui
