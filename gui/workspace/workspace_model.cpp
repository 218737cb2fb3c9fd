#include "gui/workspace/workspace_model.h"

#include <QBrush>
#include <QColor>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <set>

#include "gui/common/run_colors.h"

namespace astro::gui {
namespace {

// internalId: 0 marks a top-level row (a group when grouped, else a run); 1 + g a run under
// group g; kChildBase + i a child row of run i.
constexpr quintptr kTopLevel = 0;
constexpr quintptr kChildBase = quintptr{1} << 16;

QColor statusColor(store::RunStatus status) {
  switch (status) {
    case store::RunStatus::kRunning:
      return QColor(30, 110, 200);
    case store::RunStatus::kFinished:
      return QColor(30, 140, 60);
    case store::RunStatus::kFailed:
      return QColor(200, 40, 40);
    case store::RunStatus::kInterrupted:
    case store::RunStatus::kCancelled:
      return QColor(180, 120, 20);
    case store::RunStatus::kPending:
      break;
  }
  return QColor(110, 110, 110);
}

QString stageDuration(const store::Stage& stage) {
  if (!stage.started) return {};
  auto end = stage.finished.value_or(store::currentTimestamp());
  return formatDuration((store::toMilliseconds(end) - store::toMilliseconds(*stage.started)) / 1e3);
}

}  // namespace

WorkspaceModel::WorkspaceModel(QObject* parent) : QAbstractItemModel(parent) {}

void WorkspaceModel::setSnapshot(WorkspaceSnapshot snapshot) {
  std::set<std::int64_t> expanded;
  std::map<std::int64_t, std::int64_t> updated;  // by run id: when the run's row last changed
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    if (fetched_[i]) expanded.insert(runs_[i].run.id);
    updated[runs_[i].run.id] = store::toMilliseconds(runs_[i].run.updated);
  }
  beginResetModel();
  runs_ = std::move(snapshot.runs);
  fetched_.assign(runs_.size(), false);
  for (std::size_t i = 0; i < runs_.size(); ++i) fetched_[i] = expanded.count(runs_[i].run.id) > 0;
  rebuildGroups();
  endResetModel();
  // A running run writes checkpoints and evaluations: the contents read before are read again
  // (while it runs, and once more when its row changed, e.g. as it finished).
  for (const auto& summary : runs_) {
    auto before = updated.find(summary.run.id);
    bool changed =
        before == updated.end() || before->second != store::toMilliseconds(summary.run.updated);
    if (summary.run.status == store::RunStatus::kRunning || changed) {
      reloadContents(summary.run.id);
    }
  }
}

void WorkspaceModel::setContentsReader(ContentsReader reader) {
  beginResetModel();
  reader_ = std::move(reader);
  ++readerGeneration_;
  contents_.clear();
  requested_.clear();
  fetched_.assign(runs_.size(), false);
  endResetModel();
}

void WorkspaceModel::setGroupedByKind(bool grouped) {
  if (grouped == grouped_) return;
  beginResetModel();
  grouped_ = grouped;
  rebuildGroups();
  endResetModel();
}

void WorkspaceModel::rebuildGroups() {
  groups_.clear();
  groupOfRun_.assign(runs_.size(), 0);
  rowInGroup_.assign(runs_.size(), 0);
  if (!grouped_) return;
  for (auto [kind, name] : {std::pair{store::RunKind::kNative, tr("Native runs")},
                            std::pair{store::RunKind::kImported, tr("Imported runs")}}) {
    Group group{.name = name};
    for (std::size_t i = 0; i < runs_.size(); ++i) {
      if (runs_[i].run.kind != kind) continue;
      groupOfRun_[i] = groups_.size();
      rowInGroup_[i] = group.runs.size();
      group.runs.push_back(i);
    }
    if (!group.runs.empty()) groups_.push_back(std::move(group));
  }
}

QModelIndex WorkspaceModel::runIndex(std::size_t run, int column) const {
  if (!grouped_) return createIndex(static_cast<int>(run), column, kTopLevel);
  return createIndex(static_cast<int>(rowInGroup_[run]), column,
                     static_cast<quintptr>(1 + groupOfRun_[run]));
}

QModelIndex WorkspaceModel::indexOfRun(std::int64_t runId) const {
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    if (runs_[i].run.id == runId) return runIndex(i);
  }
  return {};
}

WorkspaceModel::Node WorkspaceModel::nodeOf(const QModelIndex& index) const {
  auto id = index.internalId();
  auto row = static_cast<std::size_t>(index.row());
  if (id == kTopLevel) {
    return grouped_ ? Node{.kind = RowKind::kGroup, .group = row} : Node{.run = row};
  }
  if (id < kChildBase) {
    std::size_t group = id - 1;
    return {.kind = RowKind::kRun, .group = group, .run = groups_[group].runs[row]};
  }
  std::size_t run = id - kChildBase;
  return {.kind = childrenOf(run)[row].kind, .run = run, .child = row};
}

std::vector<WorkspaceModel::Child> WorkspaceModel::childrenOf(std::size_t run) const {
  std::vector<Child> children;
  if (!fetched_[run]) return children;
  for (std::size_t i = 0; i < runs_[run].stages.size(); ++i)
    children.push_back({RowKind::kStage, i});
  auto found = contents_.find(runs_[run].run.id);
  if (found != contents_.end()) {
    for (std::size_t i = 0; i < found->second.checkpoints.size(); ++i)
      children.push_back({RowKind::kCheckpoint, i});
    for (std::size_t i = 0; i < found->second.evaluations.size(); ++i)
      children.push_back({RowKind::kEvaluation, i});
  }
  return children;
}

QModelIndex WorkspaceModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  if (!parent.isValid()) return createIndex(row, column, kTopLevel);
  Node node = nodeOf(parent);
  if (node.kind == RowKind::kGroup) {
    return createIndex(row, column, static_cast<quintptr>(1 + node.group));
  }
  return createIndex(row, column, static_cast<quintptr>(kChildBase + node.run));
}

QModelIndex WorkspaceModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kTopLevel) return {};
  if (child.internalId() < kChildBase) {
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kTopLevel);
  }
  return runIndex(child.internalId() - kChildBase);
}

int WorkspaceModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(grouped_ ? groups_.size() : runs_.size());
  if (parent.column() != 0) return 0;
  Node node = nodeOf(parent);
  if (node.kind == RowKind::kGroup) return static_cast<int>(groups_[node.group].runs.size());
  if (node.kind != RowKind::kRun) return 0;
  return static_cast<int>(childrenOf(node.run).size());
}

int WorkspaceModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() && parent.column() != 0 ? 0 : kColumnCount;
}

bool WorkspaceModel::hasChildren(const QModelIndex& parent) const {
  if (!parent.isValid()) return rowCount() > 0;
  if (parent.column() != 0) return false;
  Node node = nodeOf(parent);
  if (node.kind == RowKind::kGroup) return true;
  if (node.kind != RowKind::kRun) return false;
  if (fetched_[node.run]) return rowCount(parent) > 0;
  // Unread contents may hold checkpoints and evaluations.
  return !runs_[node.run].stages.empty() || (reader_ && !contents_.count(runs_[node.run].run.id));
}

bool WorkspaceModel::canFetchMore(const QModelIndex& parent) const {
  if (!parent.isValid() || parent.column() != 0) return false;
  Node node = nodeOf(parent);
  if (node.kind != RowKind::kRun) return false;
  return !fetched_[node.run] && hasChildren(parent) && !requested_.count(runs_[node.run].run.id);
}

void WorkspaceModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  std::int64_t runId = runs_[nodeOf(parent).run].run.id;
  requested_.insert(runId);
  if (reader_ && !contents_.count(runId)) {
    readContents(runId, &WorkspaceModel::applyContents);
    return;
  }
  // Rows arrive from the event loop, not inside the caller's stack: views and the model tester
  // ask for more while handling other model signals, where inserting would nest changes.
  QMetaObject::invokeMethod(
      this, [this, runId] { applyContents({.runId = runId}); }, Qt::QueuedConnection);
}

void WorkspaceModel::readContents(std::int64_t runId, void (WorkspaceModel::*apply)(RunContents)) {
  auto* watcher = new QFutureWatcher<RunContents>(this);
  const std::uint64_t request = ++contentsRequests_[runId];
  connect(watcher, &QFutureWatcher<RunContents>::finished, this,
          [this, watcher, apply, runId, request, generation = readerGeneration_] {
            watcher->deleteLater();
            if (generation != readerGeneration_) return;      // another workspace since
            if (request != contentsRequests_[runId]) return;  // a newer read of the run is due
            (this->*apply)(watcher->result());
          });
  watcher->setFuture(QtConcurrent::run([reader = reader_, runId] { return reader(runId); }));
}

void WorkspaceModel::reloadContents(std::int64_t runId) {
  if (!reader_ || !contents_.count(runId)) return;  // read when the run is first expanded
  if (requested_.count(runId)) return;              // the first read is on its way
  readContents(runId, &WorkspaceModel::replaceContents);
}

void WorkspaceModel::replaceContents(RunContents contents) {
  std::int64_t runId = contents.runId;
  QModelIndex run = indexOfRun(runId);
  std::size_t row = run.isValid() ? nodeOf(run).run : 0;
  if (!run.isValid() || !fetched_[row]) {  // no rows shown: the next expansion shows these
    contents_[runId] = std::move(contents);
    return;
  }
  // Stage rows stay; the checkpoint and evaluation rows after them are replaced.
  int stages = static_cast<int>(runs_[row].stages.size());
  int shown = static_cast<int>(childrenOf(row).size());
  if (shown > stages) {
    beginRemoveRows(run, stages, shown - 1);
    contents_[runId] = {.runId = runId};
    endRemoveRows();
  }
  int added = static_cast<int>(contents.checkpoints.size() + contents.evaluations.size());
  if (added > 0) {
    beginInsertRows(run, stages, stages + added - 1);
    contents_[runId] = std::move(contents);
    endInsertRows();
  } else {
    contents_[runId] = std::move(contents);
  }
  Q_EMIT runContentsLoaded(runId);
}

void WorkspaceModel::applyContents(RunContents contents) {
  std::int64_t runId = contents.runId;
  requested_.erase(runId);
  if (reader_ && !contents_.count(runId)) contents_[runId] = std::move(contents);
  QModelIndex run = indexOfRun(runId);
  if (!run.isValid()) return;  // gone with a newer snapshot
  std::size_t row = nodeOf(run).run;
  if (fetched_[row]) return;
  fetched_[row] = true;
  int count = static_cast<int>(childrenOf(row).size());
  fetched_[row] = false;
  if (count > 0) {
    beginInsertRows(run, 0, count - 1);
    fetched_[row] = true;
    endInsertRows();
  } else {
    fetched_[row] = true;
    Q_EMIT dataChanged(run, run);  // its expander goes
  }
  Q_EMIT runContentsLoaded(runId);
}

QVariant WorkspaceModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  Node node = nodeOf(index);
  if (role == kRowKindRole) return static_cast<int>(node.kind);
  if (node.kind == RowKind::kGroup) {
    const auto& group = groups_[node.group];
    if (role != Qt::DisplayRole) return {};
    if (index.column() == kName) return group.name;
    if (index.column() == kStatus) return tr("%n run(s)", nullptr, int(group.runs.size()));
    return {};
  }
  if (node.kind == RowKind::kRun) return runData(runs_[node.run], index.column(), role);
  if (role == kRunIdRole) return QVariant::fromValue<qint64>(runs_[node.run].run.id);
  return childData(node.run, childrenOf(node.run)[node.child], index.column(), role);
}

QString WorkspaceModel::contentsError(std::int64_t runId) const {
  auto found = contents_.find(runId);
  if (found == contents_.end() || found->second.error.isEmpty()) return {};
  return tr("Cannot read its checkpoints and evaluations: %1").arg(found->second.error);
}

QVariant WorkspaceModel::runData(const RunSummary& summary, int column, int role) const {
  const auto& run = summary.run;
  if (role == kRunIdRole) return QVariant::fromValue<qint64>(run.id);
  if (role == Qt::ForegroundRole && column == kStatus) return QBrush(statusColor(run.status));
  // The run's colour, as its curves and comparisons draw it: a swatch before its name.
  if (role == Qt::DecorationRole && column == kName) return runColor(run.id);
  if (role == Qt::ToolTipRole) {
    QString tip = QStringLiteral("Run %1 (%2) on %3, created %4")
                      .arg(run.id)
                      .arg(QString::fromStdString(store::runKindName(run.kind)),
                           QString::fromStdString(run.host.empty() ? "local" : run.host),
                           QString::fromStdString(store::formatTimestamp(run.created)));
    if (summary.remote) tip += QLatin1Char('\n') + remoteRunLines(*summary.remote).join('\n');
    if (QString error = contentsError(run.id); !error.isEmpty()) tip += QLatin1Char('\n') + error;
    return tip;
  }
  // Checkpoints and evaluations that could not be read: the run's name turns red, the tooltip
  // says why (rather than the run looking as if it had none).
  if (role == Qt::ForegroundRole && column == kName && !contentsError(run.id).isEmpty()) {
    return QBrush(statusColor(store::RunStatus::kFailed));
  }
  if (role != Qt::DisplayRole) return {};
  switch (column) {
    case kName:
      return QStringLiteral("#%1 %2").arg(run.id).arg(QString::fromStdString(run.name));
    case kStatus: {
      QString status = QString::fromStdString(store::runStatusName(run.status));
      if (!run.currentStage.empty() && run.status == store::RunStatus::kRunning) {
        status += QStringLiteral(" (%1)").arg(QString::fromStdString(run.currentStage));
      }
      if (const auto& remote = summary.remote) {
        status += tr(" · on %1").arg(QString::fromStdString(remote->profile));
        if (!remote->slurmState.empty()) {
          status += QStringLiteral(" [%1]").arg(QString::fromStdString(remote->slurmState));
        }
      }
      return status;
    }
    case kProgress:
      if (run.progressTotal <= 0) return QString();
      return QStringLiteral("%1/%2 (%3%)")
          .arg(run.progressDone)
          .arg(run.progressTotal)
          .arg(100.0 * run.progressDone / run.progressTotal, 0, 'f', 0);
    case kEta:
      return summary.etaSeconds ? formatDuration(*summary.etaSeconds) : QString();
  }
  return {};
}

QVariant WorkspaceModel::childData(std::size_t run, const Child& child, int column,
                                   int role) const {
  if (child.kind == RowKind::kStage) {
    const auto& stage = runs_[run].stages[child.index];
    if (role == kStageIdRole) return QVariant::fromValue<qint64>(stage.id);
    if (role != Qt::DisplayRole) return {};
    switch (column) {
      case kName:
        return QStringLiteral("%1. %2").arg(stage.position).arg(QString::fromStdString(stage.kind));
      case kStatus:
        return QString::fromStdString(store::stageStatusName(stage.status));
      case kProgress:
        return stageDuration(stage);
    }
    return {};
  }
  const auto& contents = contents_.at(runs_[run].run.id);
  if (child.kind == RowKind::kCheckpoint) {
    const auto& checkpoint = contents.checkpoints[child.index];
    if (role == Qt::ToolTipRole) return checkpoint.tooltip;
    if (role == kArtifactIdRole) return QVariant::fromValue<qint64>(checkpoint.artifactId);
    if (role == kOnHostRole) return checkpoint.onHost;
    if (role != Qt::DisplayRole) return {};
    if (column == kName) return tr("checkpoint %1").arg(checkpoint.name);
    if (column == kStatus) return checkpoint.detail;
    return {};
  }
  const auto& evaluation = contents.evaluations[child.index];
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (column) {
    case kName:
      return evaluation.benchmark.isEmpty()
                 ? tr("eval %1").arg(evaluation.checkpoint)
                 : tr("eval %1 on %2").arg(evaluation.checkpoint, evaluation.benchmark);
    case kStatus:
      return evaluation.accuracy ? tr("accuracy %1").arg(*evaluation.accuracy, 0, 'f', 3)
                                 : QString();
    case kProgress:
      return evaluation.samples > 0
                 ? tr("%1/%2 correct").arg(evaluation.correct).arg(evaluation.samples)
                 : QString();
  }
  return {};
}

QVariant WorkspaceModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kName:
      return tr("Run");
    case kStatus:
      return tr("Status");
    case kProgress:
      return tr("Progress");
    case kEta:
      return tr("ETA");
  }
  return {};
}

}  // namespace astro::gui
