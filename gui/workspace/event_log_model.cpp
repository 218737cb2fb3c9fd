// The log dock's event window model (event_log_model.h).
#include "gui/workspace/event_log_model.h"

#include <QBrush>
#include <QColor>

namespace astro::gui {

EventLogModel::EventLogModel(QObject* parent) : QAbstractListModel(parent) {}

void EventLogModel::setWorkspace(std::filesystem::path folder) {
  folder_ = std::move(folder);
  setRun(0);
}

void EventLogModel::setRun(std::int64_t runId) {
  newerJobs_.cancelCurrent();
  olderJobs_.cancelCurrent();
  beginResetModel();
  runId_ = runId;
  firstSeq_ = 0;
  lastSeq_ = 0;
  rows_.clear();
  endResetModel();
  progress_ = {};
  readError_.clear();
  Q_EMIT progressChanged();
  Q_EMIT readErrorChanged({});
  pollNewer();
}

void EventLogModel::pollNewer() {
  if (runId_ == 0 || newerJobs_.isRunning()) return;  // one read in flight at a time
  auto folder = folder_;
  auto runId = runId_;
  auto since = lastSeq_;
  newerJobs_.start(
      [folder, runId, since](const std::atomic<bool>&) {
        return formatted(since == 0 ? readEventTail(folder, runId, kTailEvents)
                                    : readEventsSince(folder, runId, since));
      },
      [this](FormattedBatch read) { applyNewer(std::move(read)); });
}

void EventLogModel::fetchOlder() {
  if (!hasOlder() || olderJobs_.isRunning()) return;
  auto folder = folder_;
  auto runId = runId_;
  auto before = firstSeq_;
  olderJobs_.start(
      [folder, runId, before](const std::atomic<bool>&) {
        return formatted(readEventsBefore(folder, runId, before, kOlderPage));
      },
      [this](FormattedBatch read) { applyOlder(std::move(read)); });
}

// Shows a failed read (and clears it after a good one); true when the batch may be applied.
bool EventLogModel::acceptBatch(const EventBatch& batch) {
  if (batch.runId != runId_) return false;
  if (batch.error != readError_) {
    readError_ = batch.error;
    Q_EMIT readErrorChanged(readError_);
  }
  if (!batch.error.isEmpty()) return false;
  if (batch.run) {
    progress_ = {.status = QString::fromStdString(store::runStatusName(batch.run->status)),
                 .stage = QString::fromStdString(batch.run->currentStage),
                 .position = batch.stagePosition,
                 .stageCount = batch.stageCount,
                 .done = batch.run->progressDone,
                 .total = batch.run->progressTotal,
                 .error = batch.lastError};
    Q_EMIT progressChanged();
  }
  return true;
}

// Lines are formatted on the pool: a 500-event page costs the GUI thread only its insertion.
EventLogModel::FormattedBatch EventLogModel::formatted(EventBatch batch) {
  FormattedBatch read;
  read.rows.reserve(batch.events.size());
  for (const auto& event : batch.events) {
    read.rows.push_back({.seq = event.seq,
                         .error = event.kind == store::EventKind::kError,
                         .line = formatEvent(event)});
  }
  batch.events.clear();
  read.batch = std::move(batch);
  return read;
}

void EventLogModel::applyNewer(FormattedBatch read) {
  if (!acceptBatch(read.batch)) return;
  // Only rows that continue the window: a tail read on an empty model starts it.
  std::vector<Row> rows;
  for (auto& row : read.rows) {
    if (lastSeq_ != 0 && row.seq != lastSeq_ + 1) continue;
    if (lastSeq_ == 0) firstSeq_ = row.seq;
    lastSeq_ = row.seq;
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return;
  int first = static_cast<int>(rows_.size());
  beginInsertRows({}, first, first + static_cast<int>(rows.size()) - 1);
  rows_.insert(rows_.end(), std::make_move_iterator(rows.begin()),
               std::make_move_iterator(rows.end()));
  endInsertRows();
  Q_EMIT newerAppended(static_cast<int>(rows.size()));
}

void EventLogModel::applyOlder(FormattedBatch read) {
  auto& rows = read.rows;
  if (!acceptBatch(read.batch) || rows.empty()) return;
  if (rows.back().seq != firstSeq_ - 1) return;  // not adjacent: a stale page
  const std::int64_t first = rows.front().seq;
  const int count = static_cast<int>(rows.size());
  beginInsertRows({}, 0, count - 1);
  rows_.insert(rows_.begin(), std::make_move_iterator(rows.begin()),
               std::make_move_iterator(rows.end()));
  firstSeq_ = first;
  endInsertRows();
  Q_EMIT olderPrepended(count);
}

QString EventLogModel::text() const {
  QStringList lines;
  lines.reserve(static_cast<qsizetype>(rows_.size()));
  for (const auto& row : rows_) lines << row.line;
  return lines.join(QLatin1Char('\n'));
}

int EventLogModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const Row& row = rows_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
      return row.line;
    case kSeqRole:
      return QVariant::fromValue<qint64>(row.seq);
    case Qt::ForegroundRole:
      return row.error ? QVariant(QBrush(QColor(176, 0, 32))) : QVariant();
  }
  return {};
}

}  // namespace astro::gui
