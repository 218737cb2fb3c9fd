// Help > Plugins: what plugin::loadPlugins() found at start-up (core/plugin/plugin_loader.h) in a
// table (name, version, loaded or refused, what it registered, the refusal reason, the file), the
// selected plugin's description and reason in full below it, and the folders searched in order.
// Non-modal, like every studio window; the report is the one `astro plugins` prints.
#pragma once

#include <QDialog>
#include <filesystem>
#include <vector>

#include "core/plugin/plugin_loader.h"

class QLabel;
class QTableView;

namespace astro::gui {

class PluginReportModel;

class PluginsDialog : public QDialog {
  Q_OBJECT
 public:
  // `records`: plugin::pluginReport(); `folders`: plugin::pluginFolders() (tests pass their own).
  PluginsDialog(std::vector<plugin::PluginRecord> records,
                std::vector<std::filesystem::path> folders, QWidget* parent = nullptr);

  PluginReportModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  QString summaryText() const;
  QString detailsText() const;  // the selected row's description, registrations, reason
  QString foldersText() const;
  void selectRow(int row);

 private:
  void showDetails();

  PluginReportModel* model_ = nullptr;
  QTableView* table_ = nullptr;
  QLabel* summary_ = nullptr;
  QLabel* details_ = nullptr;
  QLabel* folders_ = nullptr;
};

// Raises the window's Plugins dialog, creating it on first use from this process's report.
PluginsDialog* showPluginsDialog(QWidget* window);

}  // namespace astro::gui
