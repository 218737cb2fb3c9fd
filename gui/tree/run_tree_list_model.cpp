#include "gui/tree/run_tree_list_model.h"

#include <QBrush>
#include <QColor>
#include <map>

#include "gui/tree/run_trees.h"

namespace astro::gui {

RunTreeListModel::RunTreeListModel(QObject* parent, int pageSize)
    : QAbstractTableModel(parent), pageSize_(std::max(1, pageSize)) {}

void RunTreeListModel::setRun(const std::filesystem::path& folder, std::int64_t runId) {
  clear();
  folder_ = folder;
  runId_ = runId;
  requestPage(true);
}

void RunTreeListModel::setFilter(const store::TreeFilter& filter) {
  filter_ = filter;
  if (runId_ == 0) return;
  dropRows();
  requestPage(false);
}

void RunTreeListModel::setOrder(const store::TreeOrder& order) {
  if (order == order_) return;
  order_ = order;
  if (runId_ == 0) return;
  dropRows();
  requestPage(false);
}

void RunTreeListModel::dropRows() {
  jobs_.cancelCurrent();
  beginResetModel();
  rows_.clear();
  total_ = -1;
  endResetModel();
}

void RunTreeListModel::clear() {
  jobs_.cancelCurrent();
  beginResetModel();
  rows_.clear();
  total_ = -1;
  runId_ = 0;
  runRunning_ = false;
  subjects_.clear();
  levels_.clear();
  endResetModel();
}

void RunTreeListModel::refresh() {
  if (runId_ == 0 || total_ < 0 || jobs_.isRunning()) return;
  // In stored order only a model that holds every matching row reads the new ones; otherwise the
  // count grows and the view fetches them when it scrolls there. In a sorted order new trees may
  // land anywhere: the count is read, and a changed count reads the rows again (applyPage).
  const bool caughtUp = static_cast<qint64>(rows_.size()) >= total_;
  requestRows(cursor(), caughtUp && storedOrder() ? pageSize_ : 0, true, false);
}

void RunTreeListModel::requestPage(bool withTopics) {
  requestRows(cursor(), pageSize_, withTopics, false);
}

void RunTreeListModel::requestRows(std::int64_t after, std::int64_t limit, bool withTopics,
                                   bool replaces) {
  const auto folder = folder_;
  const auto runId = runId_;
  const auto filter = filter_;
  const auto order = order_;
  jobs_.start(
      [folder, runId, filter, order, after, limit, withTopics, replaces](const std::atomic<bool>&) {
        auto page = readSortedRunTreePage(folder, runId, filter, order, after, limit, withTopics);
        page.replaces = replaces;
        return page;
      },
      [this](RunTreePage page) { applyPage(std::move(page)); });
}

void RunTreeListModel::applyPage(RunTreePage page) {
  if (page.runId != runId_ || !(page.order == order_)) return;
  if (!page.error.isEmpty()) {
    Q_EMIT loadFailed(page.error);
    return;
  }
  if (page.replaces) {
    replaceRows(std::move(page));
    return;
  }
  if ((storedOrder() ? page.afterId : page.offset) != cursor()) return;  // a stale page
  const bool firstPage = total_ < 0;
  if (!firstPage && !storedOrder() && page.total != total_) {
    // New trees in a sorted list: read the rows held (and the new ones) again, in order.
    const auto rows = static_cast<std::int64_t>(rows_.size());
    requestRows(0, std::max<std::int64_t>(rows, pageSize_), true, true);
    return;
  }
  const bool changed = !firstPage && (page.total != total_ || page.runRunning != runRunning_ ||
                                      (page.withTopics && (page.subjects != subjects_ ||
                                                           page.levels != levels_)));
  total_ = page.total;
  runRunning_ = page.runRunning;
  if (page.withTopics) {
    subjects_ = std::move(page.subjects);
    levels_ = std::move(page.levels);
  }
  if (!page.trees.empty()) {
    const int first = static_cast<int>(rows_.size());
    beginInsertRows({}, first, first + static_cast<int>(page.trees.size()) - 1);
    for (auto& tree : page.trees) rows_.push_back(std::move(tree));
    endInsertRows();
  }
  if (firstPage || !page.trees.empty()) Q_EMIT pageLoaded(static_cast<int>(rows_.size()));
  if (changed) Q_EMIT refreshed();
}

void RunTreeListModel::replaceRows(RunTreePage page) {
  beginResetModel();
  rows_ = std::move(page.trees);
  total_ = page.total;
  runRunning_ = page.runRunning;
  if (page.withTopics) {
    subjects_ = std::move(page.subjects);
    levels_ = std::move(page.levels);
  }
  endResetModel();
  Q_EMIT pageLoaded(static_cast<int>(rows_.size()));
  Q_EMIT refreshed();
}

int RunTreeListModel::rowOfTree(std::int64_t treeId) const {
  for (std::size_t row = 0; row < rows_.size(); ++row) {
    if (rows_[row].id == treeId) return static_cast<int>(row);
  }
  return -1;
}

void RunTreeListModel::sort(int column, Qt::SortOrder order) {
  static const std::map<int, store::TreeSortKey> kKeys = {
      {kProblemId, store::TreeSortKey::kStored}, {kCorrect, store::TreeSortKey::kCorrect},
      {kWrong, store::TreeSortKey::kWrong},      {kNodes, store::TreeSortKey::kNodes},
      {kDepth, store::TreeSortKey::kDepth},      {kTerminals, store::TreeSortKey::kTerminals}};
  auto key = kKeys.find(column);
  if (key == kKeys.end()) return;  // text columns keep the current order
  setOrder({.key = key->second, .descending = order == Qt::DescendingOrder});
}

int RunTreeListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int RunTreeListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

bool RunTreeListModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && runId_ != 0 && !jobs_.isRunning() && total_ >= 0 &&
         static_cast<qint64>(rows_.size()) < total_;
}

void RunTreeListModel::fetchMore(const QModelIndex& parent) {
  // The page arrives from a worker thread through the event loop, never inside this call, so
  // rows are not inserted while a view or the model tester is handling another change.
  if (canFetchMore(parent)) requestPage(false);
}

QVariant RunTreeListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const store::TreeSummary& tree = rows_[static_cast<std::size_t>(index.row())];
  if (role == kTreeIdRole) return QVariant::fromValue<qint64>(tree.id);
  if (role == Qt::ToolTipRole) return QString::fromStdString(tree.problem).left(2000);
  if (role == Qt::ForegroundRole && index.column() == kCorrect) {
    return QBrush(tree.stats.solved() ? QColor(30, 140, 60) : QColor(200, 40, 40));
  }
  if (role == Qt::ForegroundRole && index.column() == kWrong &&
      tree.stats.terminals > tree.stats.correctTerminals) {
    return QBrush(QColor(200, 40, 40));
  }
  const bool numeric =
      (index.column() >= kNodes && index.column() <= kTerminals) || index.column() == kLevel;
  if (role == Qt::TextAlignmentRole && numeric) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kProblemId:
      return QString::fromStdString(tree.problemId);
    case kProblem:
      return QString::fromStdString(tree.problem).simplified().left(120);
    case kNodes:
      return tree.stats.nodes;
    case kDepth:
      return tree.stats.maxDepth;
    case kTerminals:
      return tree.stats.terminals;
    case kCorrect:
      return tree.stats.correctTerminals;
    case kWrong:
      return tree.stats.terminals - tree.stats.correctTerminals;
    case kSubject:
      return QString::fromStdString(tree.subject);
    case kLevel:
      return tree.level > 0 ? QVariant(tree.level) : QVariant();
    case kStage:
      return QString::fromStdString(tree.stage);
  }
  return {};
}

QVariant RunTreeListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole) {
    return section == kProblemId ? tr("Sort: the order the trees were stored")
           : section >= kNodes && section <= kTerminals
               ? tr("Sort by this count over every tree of the run")
               : QVariant();
  }
  if (role != Qt::DisplayRole) return {};
  static const char* kNames[] = {"Problem id", "Nodes",   "Depth", "Correct", "Wrong",
                                 "Terminals",  "Subject", "Level", "Stage",   "Problem"};
  return section >= 0 && section < kColumnCount ? tr(kNames[section]) : QVariant();
}

}  // namespace astro::gui
