// The log dock's model: one row per event of the selected run, holding a contiguous window of its
// event log [firstSeq, lastSeq]. A run opens at its tail (the last kTailEvents events, one read);
// pollNewer appends what was written since, and fetchOlder prepends the page before firstSeq,
// so a finished 7,000-event run never replays from seq 1 and the whole history is a scroll up.
// Every read runs on the pool; a newer run drops the results of the older one's reads.
#pragma once

#include <QAbstractListModel>
#include <QStringList>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "gui/common/job_tracker.h"
#include "gui/workspace/run_progress_bar.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

class EventLogModel : public QAbstractListModel {
  Q_OBJECT
 public:
  static constexpr std::int64_t kTailEvents = 500;
  static constexpr std::int64_t kOlderPage = 500;
  static constexpr int kSeqRole = Qt::UserRole + 1;

  explicit EventLogModel(QObject* parent = nullptr);

  void setWorkspace(std::filesystem::path folder);  // clears the run
  void setRun(std::int64_t runId);                  // 0: none; reads the tail
  std::int64_t runId() const { return runId_; }
  // Reads the events after lastSeq (the tail while none is held); skipped while one is running.
  void pollNewer();
  bool hasOlder() const { return firstSeq_ > 1; }
  void fetchOlder();  // skipped while an older page is on its way
  bool isFetchingOlder() const { return olderJobs_.isRunning(); }
  std::int64_t firstSeq() const { return firstSeq_; }  // 0 while none is held
  std::int64_t lastSeq() const { return lastSeq_; }
  const RunProgressState& progress() const { return progress_; }
  const QString& readError() const { return readError_; }
  QString text() const;  // every held line, in seq order

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 Q_SIGNALS:
  void newerAppended(int count);  // after the rows were inserted at the end (also the tail)
  void olderPrepended(int count);
  void progressChanged();
  // A read failed (`message`) or, with an empty message, a later one succeeded.
  void readErrorChanged(const QString& message);

 private:
  struct Row {
    std::int64_t seq = 0;
    bool error = false;
    QString line;
  };
  struct FormattedBatch {
    EventBatch batch;  // its run state and error; the events are in `rows`
    std::vector<Row> rows;
  };
  static FormattedBatch formatted(EventBatch batch);
  void applyNewer(FormattedBatch read);
  void applyOlder(FormattedBatch read);
  bool acceptBatch(const EventBatch& batch);

  std::filesystem::path folder_;
  std::int64_t runId_ = 0;
  std::int64_t firstSeq_ = 0;
  std::int64_t lastSeq_ = 0;
  std::vector<Row> rows_;
  RunProgressState progress_;
  QString readError_;
  JobTracker newerJobs_{this};
  JobTracker olderJobs_{this};
};

}  // namespace astro::gui
