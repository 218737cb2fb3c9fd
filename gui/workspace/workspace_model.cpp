#include "gui/workspace/workspace_model.h"

#include <QBrush>
#include <QColor>
#include <set>

namespace astro::gui {
namespace {

// internalId 0 marks a run row; a stage row stores its run's row + 1.
constexpr quintptr kRunRow = 0;

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
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    if (fetched_[i]) expanded.insert(runs_[i].run.id);
  }
  beginResetModel();
  runs_ = std::move(snapshot.runs);
  fetched_.assign(runs_.size(), false);
  for (std::size_t i = 0; i < runs_.size(); ++i) fetched_[i] = expanded.count(runs_[i].run.id) > 0;
  endResetModel();
}

QModelIndex WorkspaceModel::indexOfRun(std::int64_t runId) const {
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    if (runs_[i].run.id == runId) return index(static_cast<int>(i), 0);
  }
  return {};
}

QModelIndex WorkspaceModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  if (!parent.isValid()) return createIndex(row, column, kRunRow);
  return createIndex(row, column, static_cast<quintptr>(parent.row() + 1));
}

QModelIndex WorkspaceModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kRunRow) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, kRunRow);
}

int WorkspaceModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(runs_.size());
  if (parent.internalId() != kRunRow || parent.column() != 0) return 0;
  auto row = static_cast<std::size_t>(parent.row());
  return fetched_[row] ? static_cast<int>(runs_[row].stages.size()) : 0;
}

int WorkspaceModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() && parent.column() != 0 ? 0 : kColumnCount;
}

bool WorkspaceModel::hasChildren(const QModelIndex& parent) const {
  if (!parent.isValid()) return !runs_.empty();
  if (parent.internalId() != kRunRow || parent.column() != 0) return false;
  return !runs_[static_cast<std::size_t>(parent.row())].stages.empty();
}

bool WorkspaceModel::canFetchMore(const QModelIndex& parent) const {
  if (!parent.isValid() || parent.internalId() != kRunRow || parent.column() != 0) return false;
  auto row = static_cast<std::size_t>(parent.row());
  return !fetched_[row] && !runs_[row].stages.empty() && !requested_.count(runs_[row].run.id);
}

void WorkspaceModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  // Rows arrive from the event loop, not inside the caller's stack: views and the model tester
  // ask for more while handling other model signals, where inserting would nest changes.
  auto row = static_cast<std::size_t>(parent.row());
  std::int64_t runId = runs_[row].run.id;
  requested_.insert(runId);
  QMetaObject::invokeMethod(
      this,
      [this, runId] {
        requested_.erase(runId);
        QModelIndex run = indexOfRun(runId);
        if (!run.isValid()) return;  // gone with a newer snapshot
        auto row = static_cast<std::size_t>(run.row());
        if (fetched_[row] || runs_[row].stages.empty()) return;
        beginInsertRows(run, 0, static_cast<int>(runs_[row].stages.size()) - 1);
        fetched_[row] = true;
        endInsertRows();
      },
      Qt::QueuedConnection);
}

QVariant WorkspaceModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  if (index.internalId() == kRunRow) {
    return runData(runs_[static_cast<std::size_t>(index.row())], index.column(), role);
  }
  const auto& run = runs_[index.internalId() - 1];
  if (role == kRunIdRole) return QVariant::fromValue<qint64>(run.run.id);
  return stageData(run.stages[static_cast<std::size_t>(index.row())], index.column(), role);
}

QVariant WorkspaceModel::runData(const RunSummary& summary, int column, int role) const {
  const auto& run = summary.run;
  if (role == kRunIdRole) return QVariant::fromValue<qint64>(run.id);
  if (role == Qt::ForegroundRole && column == kStatus) return QBrush(statusColor(run.status));
  if (role == Qt::ToolTipRole) {
    return QStringLiteral("Run %1 (%2) on %3, created %4")
        .arg(run.id)
        .arg(QString::fromStdString(store::runKindName(run.kind)),
             QString::fromStdString(run.host.empty() ? "local" : run.host),
             QString::fromStdString(store::formatTimestamp(run.created)));
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

QVariant WorkspaceModel::stageData(const store::Stage& stage, int column, int role) const {
  if (role == kStageIdRole) return QVariant::fromValue<qint64>(stage.id);
  if (role != Qt::DisplayRole) return {};
  switch (column) {
    case kName:
      return QStringLiteral("%1. %2").arg(stage.position).arg(QString::fromStdString(stage.kind));
    case kStatus:
      return QString::fromStdString(store::stageStatusName(stage.status));
    case kProgress:
      return stageDuration(stage);
    case kEta:
      return QString();
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
