// `astro plugins` and `astro plugins --json` over the test plugins' folder (ASTRO_PLUGIN_PATH):
// the good plugin is listed with what it registered, each broken one on a REFUSED line with its
// path and reason, the command exits 0, and the good plugin's domain reaches the commands
// (`--verifier` choices). The crashing plugins never take `astro` down.
#include <QtTest>

#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {

const QString kPluginDir = TEST_PLUGIN_DIR;

QString pluginPath(const QString& name) { return kPluginDir + "/libastro-plugin-" + name + ".so"; }

}  // namespace

class PluginCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { qputenv("ASTRO_PLUGIN_PATH", kPluginDir.toUtf8()); }

  void plugins_listsLoadedAndRefusedWithReasons() {
    const auto result = runProgram(ASTRO_CLI_PATH, {"plugins"});
    QVERIFY2(result.exitCode == 0 && !result.crashed, qPrintable(result.err));
    const QStringList lines = result.out.split('\n');
    QVERIFY2(lines.contains("  " + kPluginDir), qPrintable(result.out));
    QVERIFY2(result.out.contains("  test-good 1.2.3  " + pluginPath("test-good") +
                                 "\n"
                                 "    toy domain and format for the plugin tests\n"
                                 "    registered: domain:toy-parity, format:toy-lines\n"),
             qPrintable(result.out));
    for (const auto& [plugin, reason] : std::initializer_list<std::pair<QString, QString>>{
             {"test-crashes", "crashed while registering: SIGSEGV"},
             {"test-aborts", "crashed while registering: SIGABRT"},
             {"test-throws", "threw a C++ exception while registering: toy exception"},
             {"test-wrong-api", "built for plugin API 2, this Astro Studio has 1"},
             {"test-duplicate-domain", "domain 'math' is already registered"},
             {"test-bad-phrases",
              "add_domain: domain 'toy-split-reflection' has an unusable phrase set: "
              "phrase_set_json: reflections[0]: contains the step delimiter \"\\n\", which "
              "separates steps"},
             {"test-fails", "registration failed: toy reason: the data file is missing"}}) {
      QVERIFY2(lines.contains("  REFUSED " + pluginPath(plugin) + ": " + reason),
               qPrintable(plugin + " in:\n" + result.out));
    }
    QVERIFY2(result.out.contains("  REFUSED " + pluginPath("junk") + ": not loadable: "),
             qPrintable(result.out));
    // 12 in the test folder, of which 1 loads; the build's own plugins may add loaded ones.
    QVERIFY2(result.out.contains(", 11 refused\n"), qPrintable(result.out));
  }

  void pluginsJson_reportsEveryPluginForMachines() {
    const auto result = runProgram(ASTRO_CLI_PATH, {"plugins", "--json"});
    QVERIFY2(result.exitCode == 0 && !result.crashed, qPrintable(result.err));
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(result.out.toUtf8(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(result.out));
    QCOMPARE(report["api_version"].toInt(), 1);
    QCOMPARE(report["folders"].toArray().first().toString(), kPluginDir);
    QMap<QString, QJsonObject> byPath;
    for (const QJsonValue& plugin : report["plugins"].toArray()) {
      byPath[plugin["path"].toString()] = plugin.toObject();
    }
    const QJsonObject good = byPath.value(pluginPath("test-good"));
    QCOMPARE(good["name"].toString(), QString("test-good"));
    QCOMPARE(good["version"].toString(), QString("1.2.3"));
    QCOMPARE(good["loaded"].toBool(), true);
    QCOMPARE(good["refusal"].toString(), QString());
    QCOMPARE(good["registered"].toArray(), QJsonArray({"domain:toy-parity", "format:toy-lines"}));
    const QJsonObject crashed = byPath.value(pluginPath("test-crashes"));
    QCOMPARE(crashed["loaded"].toBool(), false);
    QCOMPARE(crashed["refusal"].toString(), QString("crashed while registering: SIGSEGV"));
    const QJsonObject wrongApi = byPath.value(pluginPath("test-wrong-api"));
    QCOMPARE(wrongApi["api_version"].toInt(), 2);
    QCOMPARE(wrongApi["name"].toString(), QString());  // refused before the rest was read
  }

  void pluginDomain_isAVerifierChoiceOfTheCommands() {
    const auto help = runProgram(ASTRO_CLI_PATH, {"evaluate", "--help"});
    QVERIFY2(help.exitCode == 0, qPrintable(help.err));
    QVERIFY2(help.out.contains("toy-parity (toy parity domain)"), qPrintable(help.out));
    // Without the folder on the path the domain is gone again.
    qunsetenv("ASTRO_PLUGIN_PATH");
    const auto without = runProgram(ASTRO_CLI_PATH, {"evaluate", "--help"});
    qputenv("ASTRO_PLUGIN_PATH", kPluginDir.toUtf8());
    QVERIFY(!without.out.contains("toy-parity"));
  }
};

QTEST_GUILESS_MAIN(PluginCliTest)
#include "plugin_cli_test.moc"
