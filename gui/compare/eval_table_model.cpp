// Evaluation results side by side (eval_table_model.h).
#include "gui/compare/eval_table_model.h"

#include <QBrush>
#include <QPalette>

#include "gui/compare/run_header.h"

namespace astro::gui {

QString passAt1Text(const analysis::Interval& interval) {
  return QStringLiteral("%1 [%2, %3]")
      .arg(interval.estimate, 0, 'f', 2)
      .arg(interval.low, 0, 'f', 2)
      .arg(interval.high, 0, 'f', 2);
}

EvalTableModel::EvalTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalTableModel::setRows(std::vector<store::Run> runs, std::vector<analysis::EvalRow> rows) {
  beginResetModel();
  runs_ = std::move(runs);
  rows_ = std::move(rows);
  endResetModel();
}

int EvalTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int EvalTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kFirstRun + static_cast<int>(runs_.size());
}

QVariant EvalTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& row = rows_[static_cast<std::size_t>(index.row())];
  if (index.column() == kBenchmark || index.column() == kCheckpoint) {
    if (role != Qt::DisplayRole) return {};
    return QString::fromStdString(index.column() == kBenchmark ? row.benchmark : row.checkpoint);
  }
  if (role == Qt::TextAlignmentRole) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  return cellData(row.runs[static_cast<std::size_t>(index.column() - kFirstRun)], role);
}

QVariant EvalTableModel::cellData(const std::optional<analysis::EvalCell>& cell, int role) const {
  if (!cell) {
    if (role == Qt::DisplayRole) return QStringLiteral("—");
    if (role == Qt::ToolTipRole) return tr("this run did not evaluate this checkpoint");
    if (role == Qt::ForegroundRole) return QBrush(QPalette().color(QPalette::PlaceholderText));
    return {};
  }
  switch (role) {
    case Qt::DisplayRole:
      return passAt1Text(cell->passAt1);
    case Qt::ToolTipRole:
      return tr("pass@1 %1, 95% bootstrap interval [%2, %3] over %4 problems (%5 samples)")
          .arg(cell->passAt1.estimate, 0, 'f', 4)
          .arg(cell->passAt1.low, 0, 'f', 4)
          .arg(cell->passAt1.high, 0, 'f', 4)
          .arg(cell->problems)
          .arg(cell->samples);
    case kPassAt1Role:
      return cell->passAt1.estimate;
    case kLowRole:
      return cell->passAt1.low;
    case kHighRole:
      return cell->passAt1.high;
    default:
      return {};
  }
}

QVariant EvalTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Vertical)
    return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
  if (section == kBenchmark) return role == Qt::DisplayRole ? tr("Benchmark") : QVariant();
  if (section == kCheckpoint) return role == Qt::DisplayRole ? tr("Checkpoint") : QVariant();
  if (section < kFirstRun || section >= kFirstRun + static_cast<int>(runs_.size())) return {};
  return runHeaderData(runs_[static_cast<std::size_t>(section - kFirstRun)], role);
}

}  // namespace astro::gui
