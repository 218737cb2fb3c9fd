// The plugin report as a table model (plugin_report_model.h).
#include "gui/plugins/plugin_report_model.h"

#include <QBrush>
#include <QColor>
#include <QStringList>
#include <algorithm>

namespace astro::gui {

namespace {

QString text(const std::string& value) { return QString::fromStdString(value); }

// A record whose manifest could not be read has no name: its file name stands in.
QString displayName(const plugin::PluginRecord& record) {
  if (!record.name.empty()) return text(record.name);
  return QString::fromStdString(record.path.filename().string());
}

// What it added when loaded; what its manifest promised otherwise (nothing of it stayed).
QString registered(const plugin::PluginRecord& record) {
  if (!record.loaded) return text(record.provides);
  QStringList items;
  for (const auto& item : record.registered) items << text(item);
  return items.join(QStringLiteral(", "));
}

}  // namespace

PluginReportModel::PluginReportModel(QObject* parent) : QAbstractTableModel(parent) {}

void PluginReportModel::setRecords(std::vector<plugin::PluginRecord> records) {
  beginResetModel();
  records_ = std::move(records);
  endResetModel();
}

const plugin::PluginRecord* PluginReportModel::record(int row) const {
  if (row < 0 || row >= rowCount()) return nullptr;
  return &records_[static_cast<std::size_t>(row)];
}

int PluginReportModel::refusedCount() const {
  return static_cast<int>(std::count_if(records_.begin(), records_.end(),
                                        [](const auto& record) { return !record.loaded; }));
}

int PluginReportModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(records_.size());
}

int PluginReportModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant PluginReportModel::data(const QModelIndex& index, int role) const {
  const plugin::PluginRecord* item = index.isValid() ? record(index.row()) : nullptr;
  if (!item || index.column() >= kColumnCount) return {};
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case kName:
        return displayName(*item);
      case kVersion:
        return text(item->version);
      case kStatus:
        return item->loaded ? tr("loaded") : tr("refused");
      case kRegistered:
        return registered(*item);
      case kReason:
        return text(item->refusal);
      case kPath:
        return QString::fromStdString(item->path.string());
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    if (!item->loaded) return tr("Refused: %1").arg(text(item->refusal));
    if (index.column() == kName && !item->description.empty()) return text(item->description);
    if (index.column() == kPath) return QString::fromStdString(item->path.string());
    return {};
  }
  if (role == Qt::ForegroundRole && !item->loaded &&
      (index.column() == kStatus || index.column() == kReason)) {
    return QBrush(QColor(0xb0, 0x20, 0x20));
  }
  return {};
}

QVariant PluginReportModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kName:
      return tr("Plugin");
    case kVersion:
      return tr("Version");
    case kStatus:
      return tr("Status");
    case kRegistered:
      return tr("Registers");
    case kReason:
      return tr("Reason");
    case kPath:
      return tr("File");
    default:
      return {};
  }
}

}  // namespace astro::gui
