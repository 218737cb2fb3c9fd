// Help > Plugins (plugins_dialog.h).
#include "gui/plugins/plugins_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QStringList>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/plugins/plugin_report_model.h"

namespace astro::gui {

namespace {

QString text(const std::string& value) { return QString::fromStdString(value); }

QString foldersDescription(const std::vector<std::filesystem::path>& folders) {
  QString description = QObject::tr(
      "Plugins are files named libastro-plugin-*.so. Folders searched, in order "
      "($ASTRO_PLUGIN_PATH first, then the installation's plugin folder; a name found "
      "twice loads from the first):");
  if (folders.empty())
    return description + QObject::tr("\n  (none; set ASTRO_PLUGIN_PATH to add one)");
  for (std::size_t i = 0; i < folders.size(); ++i) {
    description += QStringLiteral("\n  %1. %2").arg(i + 1).arg(text(folders[i].string()));
  }
  return description;
}

}  // namespace

PluginsDialog::PluginsDialog(std::vector<plugin::PluginRecord> records,
                             std::vector<std::filesystem::path> folders, QWidget* parent)
    : QDialog(parent) {
  setObjectName("pluginsDialog");
  setWindowTitle(tr("Plugins"));
  setModal(false);
  resize(900, 480);
  model_ = new PluginReportModel(this);
  model_->setRecords(std::move(records));

  summary_ = new QLabel(this);
  summary_->setObjectName("pluginsSummary");
  summary_->setWordWrap(true);
  const int refused = model_->refusedCount();
  const int loaded = model_->rowCount() - refused;
  summary_->setText(
      model_->rowCount() == 0
          ? tr("No plugin was found. Plugins are loaded when the studio starts.")
          : tr("Loaded: %1. Refused: %2. Plugins are loaded when the studio starts: restart it "
               "to load new or changed ones.")
                .arg(loaded)
                .arg(refused));

  table_ = new QTableView(this);
  table_->setObjectName("pluginsTable");
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(false);
  table_->setTextElideMode(Qt::ElideMiddle);  // paths: the folder's start and the file name

  details_ = new QLabel(this);
  details_->setObjectName("pluginDetails");
  details_->setWordWrap(true);
  details_->setTextFormat(Qt::PlainText);  // reasons and paths are a plugin's text, not markup
  details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  folders_ = new QLabel(foldersDescription(folders), this);
  folders_->setObjectName("pluginFolders");
  folders_->setWordWrap(true);
  folders_->setTextFormat(Qt::PlainText);
  folders_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(summary_);
  layout->addWidget(table_, 1);
  layout->addWidget(details_);
  layout->addWidget(folders_);
  layout->addWidget(buttons);

  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &PluginsDialog::showDetails);
  // A refused plugin is what someone opening this dialog most likely looks for.
  int first = 0;
  for (int row = 0; row < model_->rowCount(); ++row) {
    if (!model_->record(row)->loaded) {
      first = row;
      break;
    }
  }
  if (model_->rowCount() > 0) selectRow(first);
}

QString PluginsDialog::summaryText() const { return summary_->text(); }
QString PluginsDialog::detailsText() const { return details_->text(); }
QString PluginsDialog::foldersText() const { return folders_->text(); }

void PluginsDialog::selectRow(int row) {
  table_->setCurrentIndex(model_->index(row, PluginReportModel::kName));
  showDetails();
}

void PluginsDialog::showDetails() {
  const plugin::PluginRecord* record = model_->record(table_->currentIndex().row());
  if (!record) {
    details_->clear();
    return;
  }
  QStringList lines;
  QString name =
      model_->index(table_->currentIndex().row(), PluginReportModel::kName).data().toString();
  lines << (record->description.empty() ? name
                                        : name + QStringLiteral(": ") + text(record->description));
  if (record->apiVersion != 0) lines << tr("Built for plugin API %1.").arg(record->apiVersion);
  if (record->loaded) {
    QStringList registered;
    for (const auto& item : record->registered) registered << text(item);
    lines << tr("Registered: %1.")
                 .arg(registered.isEmpty() ? tr("nothing") : registered.join(QStringLiteral(", ")));
  } else {
    lines << tr("Refused: %1").arg(text(record->refusal));
    if (!record->provides.empty()) {
      lines << tr("Nothing of what it provides (%1) was registered.").arg(text(record->provides));
    }
  }
  lines << tr("File: %1").arg(QString::fromStdString(record->path.string()));
  details_->setText(lines.join(QLatin1Char('\n')));
}

PluginsDialog* showPluginsDialog(QWidget* window) {
  auto* dialog = window->findChild<PluginsDialog*>(QString(), Qt::FindDirectChildrenOnly);
  if (!dialog) {
    dialog = new PluginsDialog(plugin::pluginReport(), plugin::pluginFolders(), window);
  }
  dialog->show();
  dialog->raise();
  dialog->activateWindow();
  return dialog;
}

}  // namespace astro::gui
