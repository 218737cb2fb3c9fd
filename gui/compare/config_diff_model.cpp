// The config diff table (config_diff_model.h).
#include "gui/compare/config_diff_model.h"

#include <QBrush>
#include <QPalette>

#include "gui/compare/run_header.h"

namespace astro::gui {

namespace {
const QString kMissing = QStringLiteral("—");
}

ConfigDiffModel::ConfigDiffModel(QObject* parent) : QAbstractTableModel(parent) {}

void ConfigDiffModel::setDiff(std::vector<store::Run> runs,
                              std::vector<analysis::ConfigDiffRow> rows) {
  beginResetModel();
  runs_ = std::move(runs);
  rows_ = std::move(rows);
  endResetModel();
}

int ConfigDiffModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ConfigDiffModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : 1 + static_cast<int>(runs_.size());
}

QVariant ConfigDiffModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& row = rows_[static_cast<std::size_t>(index.row())];
  if (index.column() == kKey) {
    return role == Qt::DisplayRole || role == Qt::ToolTipRole ? QString::fromStdString(row.key)
                                                              : QVariant();
  }
  const auto& value = row.values[static_cast<std::size_t>(index.column() - 1)];
  switch (role) {
    case Qt::DisplayRole:
      return value ? QString::fromStdString(*value) : kMissing;
    case Qt::ToolTipRole:
      return value ? QString::fromStdString(row.key + " = " + *value)
                   : tr("%1 is not set in this run's config (its default applies)")
                         .arg(QString::fromStdString(row.key));
    case Qt::ForegroundRole:
      return value ? QVariant() : QBrush(QPalette().color(QPalette::PlaceholderText));
    default:
      return {};
  }
}

QVariant ConfigDiffModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Vertical)
    return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
  if (section == kKey) return role == Qt::DisplayRole ? tr("Key") : QVariant();
  if (section < 1 || section > static_cast<int>(runs_.size())) return {};
  return runHeaderData(runs_[static_cast<std::size_t>(section - 1)], role);
}

}  // namespace astro::gui
