#include "gui/samples/stored_sample_model.h"

#include <QBrush>
#include <QColor>

#include "gui/samples/run_samples.h"

namespace astro::gui {

StoredSampleModel::StoredSampleModel(QObject* parent, int pageSize)
    : QAbstractTableModel(parent), pageSize_(std::max(1, pageSize)) {}

void StoredSampleModel::setQuery(const std::filesystem::path& folder, std::int64_t runId,
                                 const store::SampleFilter& filter) {
  clear();
  folder_ = folder;
  runId_ = runId;
  filter_ = filter;
  if (runId_ == 0) return;
  complete_ = false;
  requestPage();
  count_.start([folder, runId, filter](
                   const std::atomic<bool>&) { return readRunSampleCount(folder, runId, filter); },
               [this](RunSampleCount count) {
                 if (count.runId != runId_) return;
                 if (!count.error.isEmpty()) {
                   Q_EMIT loadFailed(count.error);
                   return;
                 }
                 total_ = count.total;
                 Q_EMIT totalChanged(total_);
               });
}

namespace {

std::optional<store::SampleOrder> orderOf(int column) {
  switch (column) {
    case StoredSampleModel::kId:
      return store::SampleOrder::kId;
    case StoredSampleModel::kReward:
      return store::SampleOrder::kReward;
    case StoredSampleModel::kAdvantage:
      return store::SampleOrder::kAdvantage;
    case StoredSampleModel::kSteps:
      return store::SampleOrder::kSteps;
    case StoredSampleModel::kBacktracks:
      return store::SampleOrder::kBacktracks;
    case StoredSampleModel::kReflections:
      return store::SampleOrder::kReflections;
    case StoredSampleModel::kTokens:
      return store::SampleOrder::kTokens;
  }
  return std::nullopt;
}

}  // namespace

bool StoredSampleModel::isSortable(int column) { return orderOf(column).has_value(); }

void StoredSampleModel::sort(int column, Qt::SortOrder order) {
  const auto sampleOrder = orderOf(column);
  if (!sampleOrder) return;
  const bool descending = order == Qt::DescendingOrder;
  if (*sampleOrder == order_ && descending == descending_) return;
  order_ = *sampleOrder;
  descending_ = descending;
  if (runId_ == 0) return;
  const auto folder = folder_;
  const auto filter = filter_;
  setQuery(folder, runId_, filter);
}

void StoredSampleModel::clear() {
  pages_.cancelCurrent();
  count_.cancelCurrent();
  beginResetModel();
  rows_.clear();
  total_ = -1;
  runId_ = 0;
  complete_ = true;
  firstPageArrived_ = false;
  endResetModel();
}

void StoredSampleModel::requestPage() {
  const auto folder = folder_;
  const auto runId = runId_;
  const auto filter = filter_;
  store::SamplePage keyset{.limit = pageSize_, .order = order_, .descending = descending_};
  if (!rows_.empty()) {
    keyset.afterId = rows_.back().id;
    keyset.afterKey = store::sampleOrderKey(rows_.back(), order_);
  }
  pages_.start(
      [folder, runId, filter, keyset](const std::atomic<bool>&) {
        return readRunSamplePage(folder, runId, filter, keyset);
      },
      [this](RunSamplePage page) { applyPage(std::move(page)); });
}

void StoredSampleModel::applyPage(RunSamplePage page) {
  const std::int64_t lastId = rows_.empty() ? 0 : rows_.back().id;
  if (page.runId != runId_ || page.afterId != lastId) return;
  if (!page.error.isEmpty()) {
    complete_ = true;  // no retry loop through fetchMore; setQuery starts over
    Q_EMIT loadFailed(page.error);
    return;
  }
  firstPageArrived_ = true;
  complete_ = page.complete;
  if (!page.samples.empty()) {
    const int first = static_cast<int>(rows_.size());
    beginInsertRows({}, first, first + static_cast<int>(page.samples.size()) - 1);
    for (auto& sample : page.samples) rows_.push_back(std::move(sample));
    endInsertRows();
  }
  Q_EMIT pageLoaded(static_cast<int>(rows_.size()));
}

int StoredSampleModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int StoredSampleModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

bool StoredSampleModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && runId_ != 0 && firstPageArrived_ && !complete_ && !pages_.isRunning();
}

void StoredSampleModel::fetchMore(const QModelIndex& parent) {
  // The page arrives from a worker thread through the event loop, never inside this call, so
  // rows are not inserted while a view or the model tester is handling another change.
  if (canFetchMore(parent)) requestPage();
}

QVariant StoredSampleModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const store::StoredSample& sample = rows_[static_cast<std::size_t>(index.row())];
  const store::SampleRow& row = sample.row;
  const bool rollout = sample.set.kind == store::SampleKind::kRollout;
  if (role == Qt::ForegroundRole && index.column() == kVerdict && row.correct) {
    return QBrush(*row.correct ? QColor(30, 140, 60) : QColor(200, 40, 40));
  }
  if (role == Qt::ToolTipRole && index.column() == kProblem) {
    return QString::fromStdString(row.prompt).left(2000);
  }
  if (role == Qt::TextAlignmentRole && index.column() >= kReward) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kId:
      return QVariant::fromValue<qint64>(sample.id);
    case kKind:
      return QString::fromUtf8(store::sampleKindName(sample.set.kind).data());
    case kCheckpoint:
      if (rollout && sample.set.step) return tr("step %1").arg(*sample.set.step);
      return QString::fromStdString(sample.set.checkpoint);
    case kBenchmark:
      return QString::fromStdString(sample.set.benchmark);
    case kProblem:
      return QString::fromStdString(row.problemId);
    case kGroup:
      return rollout ? QVariant(row.group) : QVariant();
    case kSample:
      return row.sampleIndex < 0 ? QVariant(tr("greedy")) : QVariant(row.sampleIndex);
    case kVerdict:
      return !row.correct ? tr("ungraded") : *row.correct ? tr("correct") : tr("wrong");
    case kAnswer:
      return QString::fromStdString(row.answer);
    case kReward:
      return row.reward ? QVariant(*row.reward) : QVariant();
    case kAdvantage:
      return row.advantage ? QVariant(*row.advantage) : QVariant();
    case kSteps:
      return row.steps;
    case kBacktracks:
      return row.backtracks;
    case kReflections:
      return row.reflections;
    case kTokens:
      return QVariant::fromValue<qint64>(row.tokens);
  }
  return {};
}

QVariant StoredSampleModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* kNames[] = {"Id",        "Kind",   "Checkpoint", "Benchmark",   "Problem",
                                 "Group",     "Sample", "Verdict",    "Answer",      "Reward",
                                 "Advantage", "Steps",  "Backtracks", "Reflections", "Tokens"};
  return section >= 0 && section < kColumnCount ? tr(kNames[section]) : QVariant();
}

}  // namespace astro::gui
