// A run's samples and rollouts from the run store (core/store SampleRepository) as a table. Rows
// arrive a keyset page at a time, each read on a worker thread; canFetchMore/fetchMore ask for
// the next page as the view scrolls, so a run of a million samples shows its first rows at once
// and the GUI thread never touches the database. Filters (kind, checkpoint, step, verdict, text)
// run in SQL: setQuery() starts over with the new filter, superseding reads still in flight. So
// does sort(): the numeric columns (id, reward, advantage, steps, backtracks, reflections, tokens)
// sort the whole run in SQL, keyset pages over (key, id).
#pragma once

#include <QAbstractTableModel>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/store/sample_repository.h"
#include "gui/common/job_tracker.h"

namespace astro::gui {

struct RunSamplePage;
struct RunSampleCount;

class StoredSampleModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    kId,
    kKind,
    kCheckpoint,
    kBenchmark,
    kProblem,
    kGroup,
    kSample,
    kVerdict,
    kAnswer,
    kReward,
    kAdvantage,
    kSteps,
    kBacktracks,
    kReflections,
    kTokens,
    kColumnCount
  };
  static constexpr int kDefaultPageSize = 256;
  // The columns sort() orders in SQL; others are left as they are.
  static bool isSortable(int column);

  explicit StoredSampleModel(QObject* parent = nullptr, int pageSize = kDefaultPageSize);

  // Drops the rows and reads the first page (and the count) of run `runId` under `filter`.
  void setQuery(const std::filesystem::path& folder, std::int64_t runId,
                const store::SampleFilter& filter = {});
  void clear();
  std::int64_t runId() const { return runId_; }
  const store::SampleFilter& filter() const { return filter_; }
  // Rows matching the filter (all pages); -1 until counted.
  qint64 totalSamples() const { return total_; }
  bool isLoading() const { return pages_.isRunning(); }
  const store::StoredSample& sample(int row) const { return rows_[static_cast<std::size_t>(row)]; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  // Starts over in `column`'s order (a sortable column; others are ignored).
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  store::SampleOrder sampleOrder() const { return order_; }
  bool isDescending() const { return descending_; }
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 Q_SIGNALS:
  // After each page was inserted (`rows`: how many rows the model holds now).
  void pageLoaded(int rows);
  void totalChanged(qint64 total);
  void loadFailed(const QString& message);

 private:
  void requestPage();
  void applyPage(RunSamplePage page);

  std::filesystem::path folder_;
  std::int64_t runId_ = 0;
  store::SampleFilter filter_;
  store::SampleOrder order_ = store::SampleOrder::kId;
  bool descending_ = false;
  int pageSize_;
  qint64 total_ = -1;
  bool complete_ = true;
  bool firstPageArrived_ = false;
  std::vector<store::StoredSample> rows_;
  JobTracker pages_{this};
  JobTracker count_{this};
};

}  // namespace astro::gui
