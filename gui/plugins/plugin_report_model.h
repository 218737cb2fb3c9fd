// The plugin report (core/plugin/plugin_loader.h, plugin::pluginReport()) as a table for Help >
// Plugins: one row per plugin file found, loaded or refused, with what it registered or why it
// was skipped. Refused rows carry their reason in their own column, as tooltip and in red.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "core/plugin/plugin_loader.h"

namespace astro::gui {

class PluginReportModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { kName, kVersion, kStatus, kRegistered, kReason, kPath, kColumnCount };

  explicit PluginReportModel(QObject* parent = nullptr);

  void setRecords(std::vector<plugin::PluginRecord> records);
  const std::vector<plugin::PluginRecord>& records() const { return records_; }
  const plugin::PluginRecord* record(int row) const;  // null outside the rows
  int refusedCount() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<plugin::PluginRecord> records_;
};

}  // namespace astro::gui
