// Help > Plugins (gui/plugins/plugins_dialog.h): the report model under QAbstractItemModelTester,
// a refused plugin's row and details showing its reason, the folders searched, the empty report,
// the main window's Help > Plugins… action.
// Saves <build>/test-tmp/screenshots/plugins.png.
#include "gui/plugins/plugins_dialog.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/main_window.h"
#include "gui/plugins/plugin_report_model.h"

using astro::gui::PluginReportModel;
using astro::gui::PluginsDialog;
using astro::plugin::PluginRecord;

namespace {

std::vector<PluginRecord> loadedAndRefused() {
  PluginRecord gsm8k{.path = "/opt/plugins/libastro-plugin-gsm8k.so",
                     .name = "gsm8k",
                     .version = "1.0.0",
                     .description = "GSM8K word problems: '#### N' answers",
                     .provides = "domain:gsm8k",
                     .apiVersion = 1,
                     .loaded = true,
                     .refusal = "",
                     .registered = {"domain:gsm8k"}};
  // The API version is checked before anything else of the manifest is read (loader's order).
  PluginRecord future{.path = "/opt/plugins/libastro-plugin-future.so",
                      .name = "",
                      .version = "",
                      .description = "",
                      .provides = "",
                      .apiVersion = 2,
                      .loaded = false,
                      .refusal = "built for plugin API 2, this Astro Studio has 1",
                      .registered = {}};
  PluginRecord broken{.path = "/opt/plugins/libastro-plugin-broken.so",
                      .name = "",
                      .version = "",
                      .description = "",
                      .provides = "",
                      .apiVersion = 0,
                      .loaded = false,
                      .refusal = "no entry point astro_plugin_manifest: undefined symbol",
                      .registered = {}};
  PluginRecord crashing{.path = "/home/me/plugins/libastro-plugin-crashing.so",
                        .name = "crashing",
                        .version = "0.1.0",
                        .description = "segfaults in astro_plugin_register",
                        .provides = "domain:crashing",
                        .apiVersion = 1,
                        .loaded = false,
                        .refusal = "crashed while registering: SIGSEGV",
                        .registered = {}};
  return {gsm8k, future, broken, crashing};
}

QString cell(const PluginReportModel& model, int row, int column) {
  return model.index(row, column).data().toString();
}

}  // namespace

class PluginsDialogTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // the main window's QSettings
    QCoreApplication::setOrganizationName("AstroStudioTest");
    QCoreApplication::setApplicationName("plugins-dialog-test");
  }

  void reportModel_passesModelTesterAndShowsEachRecord() {
    PluginReportModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRecords(loadedAndRefused());
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.refusedCount(), 3);
    QCOMPARE(cell(model, 0, PluginReportModel::kName), QStringLiteral("gsm8k"));
    QCOMPARE(cell(model, 0, PluginReportModel::kStatus), QStringLiteral("loaded"));
    QCOMPARE(cell(model, 0, PluginReportModel::kRegistered), QStringLiteral("domain:gsm8k"));
    QCOMPARE(cell(model, 0, PluginReportModel::kReason), QString());
    QCOMPARE(cell(model, 0, PluginReportModel::kPath),
             QStringLiteral("/opt/plugins/libastro-plugin-gsm8k.so"));
    // A plugin without a readable manifest is named by its file.
    QCOMPARE(cell(model, 2, PluginReportModel::kName), QStringLiteral("libastro-plugin-broken.so"));
    // A refused plugin registered nothing: the column says what its manifest promised.
    QCOMPARE(cell(model, 3, PluginReportModel::kRegistered), QStringLiteral("domain:crashing"));
    QCOMPARE(cell(model, 3, PluginReportModel::kReason),
             QStringLiteral("crashed while registering: SIGSEGV"));
    model.setRecords({});
    QCOMPARE(model.rowCount(), 0);
  }

  void refusedRow_showsItsReason() {
    PluginsDialog dialog(loadedAndRefused(), {"/home/me/plugins", "/usr/lib/astro/plugins"});
    auto* model = dialog.model();
    QCOMPARE(dialog.table()->model(), model);
    QCOMPARE(cell(*model, 1, PluginReportModel::kStatus), QStringLiteral("refused"));
    QCOMPARE(cell(*model, 1, PluginReportModel::kReason),
             QStringLiteral("built for plugin API 2, this Astro Studio has 1"));
    QCOMPARE(model->index(1, PluginReportModel::kName).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Refused: built for plugin API 2, this Astro Studio has 1"));
    QVERIFY(model->index(1, PluginReportModel::kReason).data(Qt::ForegroundRole).isValid());
    QVERIFY(!model->index(0, PluginReportModel::kReason).data(Qt::ForegroundRole).isValid());
    QCOMPARE(cell(*model, 1, PluginReportModel::kName),
             QStringLiteral("libastro-plugin-future.so"));
  }

  void dialog_selectsTheFirstRefusedPluginAndShowsItsDetails() {
    PluginsDialog dialog(loadedAndRefused(), {});
    QCOMPARE(dialog.table()->currentIndex().row(), 1);
    QVERIFY2(
        dialog.detailsText().contains("Refused: built for plugin API 2, this Astro Studio has 1"),
        qPrintable(dialog.detailsText()));
    QVERIFY(dialog.detailsText().contains("/opt/plugins/libastro-plugin-future.so"));
    QVERIFY(dialog.summaryText().startsWith("Loaded: 1. Refused: 3."));
    dialog.show();
    QDir().mkpath(ASTRO_BINARY_DIR "/test-tmp/screenshots");
    QVERIFY(dialog.grab().save(ASTRO_BINARY_DIR "/test-tmp/screenshots/plugins.png"));
    dialog.selectRow(0);
    QVERIFY2(dialog.detailsText().contains("Registered: domain:gsm8k."),
             qPrintable(dialog.detailsText()));
    QVERIFY(!dialog.detailsText().contains("Refused"));
  }

  void dialog_listsTheFoldersSearchedInOrder() {
    PluginsDialog dialog({},
                         {"/home/me/plugins", "/usr/lib/x86_64-linux-gnu/astro-studio/plugins"});
    QVERIFY(dialog.foldersText().contains(
        "\n  1. /home/me/plugins\n  2. /usr/lib/x86_64-linux-gnu/astro-studio/plugins"));
    QVERIFY(dialog.summaryText().startsWith("No plugin was found."));
    QVERIFY(dialog.detailsText().isEmpty());
    PluginsDialog none({}, {});
    QVERIFY(none.foldersText().endsWith("(none; set ASTRO_PLUGIN_PATH to add one)"));
  }

  void dialog_isNotModal() {
    QWidget window;
    auto* dialog = astro::gui::showPluginsDialog(&window);
    QVERIFY(!dialog->isModal());
    QVERIFY(dialog->isVisible());
    QCOMPARE(astro::gui::showPluginsDialog(&window), dialog);  // raised again, not a second one
  }

  void mainWindow_helpMenuOpensThePluginsDialog() {
    QTemporaryDir workspace;
    QVERIFY(workspace.isValid());
    astro::gui::MainWindow window(workspace.path());
    QAction* plugins = nullptr;
    for (QAction* menu : window.menuBar()->actions()) {
      if (menu->text() != "&Help" || !menu->menu()) continue;
      for (QAction* action : menu->menu()->actions()) {
        if (action->text() == QStringLiteral("&Plugins…")) plugins = action;
      }
    }
    QVERIFY(plugins);
    plugins->trigger();
    auto* dialog = window.findChild<PluginsDialog*>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isModal());
    // This process loaded no plugins: the report the loader keeps is empty.
    QCOMPARE(dialog->model()->rowCount(), 0);
  }
};

QTEST_MAIN(PluginsDialogTest)
#include "plugins_dialog_test.moc"
