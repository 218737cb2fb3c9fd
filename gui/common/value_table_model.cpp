#include "gui/common/value_table_model.h"

#include <QLocale>

namespace astro::gui {

ValueTableModel::ValueTableModel(QStringList headers, QObject* parent)
    : QAbstractTableModel(parent), headers_(std::move(headers)) {}

void ValueTableModel::setRows(std::vector<QVariantList> rows) {
  beginResetModel();
  rows_ = std::move(rows);
  for (auto& row : rows_) {
    while (row.size() < headers_.size()) row.append(QVariant());
  }
  endResetModel();
}

int ValueTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ValueTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(headers_.size());
}

QVariant ValueTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const QVariant& value = rows_[static_cast<std::size_t>(index.row())][index.column()];
  if (role == Qt::DisplayRole || role == Qt::EditRole || role == Qt::ToolTipRole) return value;
  if (role == Qt::TextAlignmentRole && value.typeId() == QMetaType::Double) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant ValueTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Horizontal) {
    return section >= 0 && section < headers_.size() ? headers_[section] : QVariant();
  }
  return section + 1;
}

QString csvField(const QString& text) {
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
      !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r'))) {
    return text;
  }
  QString quoted = text;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString modelToCsv(const QAbstractItemModel& model) {
  QString csv;
  QStringList fields;
  for (int column = 0; column < model.columnCount(); ++column) {
    fields << csvField(model.headerData(column, Qt::Horizontal).toString());
  }
  csv += fields.join(',') + "\r\n";
  for (int row = 0; row < model.rowCount(); ++row) {
    fields.clear();
    for (int column = 0; column < model.columnCount(); ++column) {
      QVariant value = model.data(model.index(row, column));
      fields << csvField(
          value.typeId() == QMetaType::Double
              ? QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest)
              : value.toString());
    }
    csv += fields.join(',') + "\r\n";
  }
  return csv;
}

}  // namespace astro::gui
