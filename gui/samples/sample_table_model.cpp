#include "gui/samples/sample_table_model.h"

#include <QBrush>
#include <QColor>

namespace astro::gui {

SampleTableModel::SampleTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void SampleTableModel::setSamples(
    std::shared_ptr<const std::vector<analysis::ImportedSample>> samples) {
  beginResetModel();
  ++generation_;
  fetchPending_ = false;
  samples_ = std::move(samples);
  loaded_ = std::min(kBatch, totalSamples());
  endResetModel();
}

int SampleTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : loaded_;
}

int SampleTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

bool SampleTableModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && !fetchPending_ && loaded_ < totalSamples();
}

void SampleTableModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  // The batch is inserted from the event loop: views and the model tester ask for more while
  // handling other model signals, where inserting would nest changes.
  fetchPending_ = true;
  QMetaObject::invokeMethod(
      this,
      [this, generation = generation_] {
        if (generation != generation_) return;  // superseded by setSamples
        fetchPending_ = false;
        int next = std::min(loaded_ + kBatch, totalSamples());
        if (next <= loaded_) return;
        beginInsertRows({}, loaded_, next - 1);
        loaded_ = next;
        endInsertRows();
      },
      Qt::QueuedConnection);
}

QVariant SampleTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const auto& sample = (*samples_)[static_cast<std::size_t>(index.row())];
  const auto& stats = sample.stats;
  if (role == Qt::ForegroundRole && index.column() == kVerdict && stats.correct) {
    return QBrush(*stats.correct ? QColor(30, 140, 60) : QColor(200, 40, 40));
  }
  if (role == Qt::ToolTipRole && index.column() == kProblem) {
    return QString::fromStdString(sample.prompt).left(2000);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kLine:
      return QVariant::fromValue<qint64>(sample.line);
    case kProblem:
      return QString::fromStdString(sample.problemId);
    case kCheckpoint:
      return QString::fromStdString(sample.checkpoint);
    case kBenchmark:
      return QString::fromStdString(sample.benchmark);
    case kVerdict:
      return !stats.correct ? tr("ungraded") : *stats.correct ? tr("correct") : tr("wrong");
    case kAnswer:
      return QString::fromStdString(stats.answer);
    case kSteps:
      return stats.steps;
    case kBacktracks:
      return stats.backtracks;
    case kReflections:
      return stats.reflections;
    case kTokens:
      return QVariant::fromValue<qint64>(stats.tokens);
  }
  return {};
}

QVariant SampleTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* kNames[] = {"Line",   "Problem", "Checkpoint", "Benchmark",   "Verdict",
                                 "Answer", "Steps",   "Backtracks", "Reflections", "Tokens"};
  return section >= 0 && section < kColumnCount ? tr(kNames[section]) : QVariant();
}

}  // namespace astro::gui
