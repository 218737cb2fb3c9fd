// The Launch view (gui/launch): TOML line edits; the followed-run model under
// QAbstractItemModelTester; the schema form and the TOML text kept in sync and checked live by the
// built `astro pipeline check`; and a real one-stage pipeline (SFT of a random-init tiny model)
// started detached through LocalLaunchTarget and followed; the view closed while it runs, a new
// one re-attaches, cancels, resumes and cancels it again. The Hosts dialog's Check through the
// built `astro remote check` against a port where no ssh server listens.
#include "gui/launch/launch_view.h"

#include <signal.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>
#include <fstream>

#include "core/remote/host_profile.h"
#include "gui/hosts/hosts_dialog.h"
#include "gui/launch/config_form.h"
#include "gui/launch/config_text.h"
#include "gui/launch/detached_command.h"
#include "gui/launch/run_follow_model.h"
#include "gui/launch/run_follow_panel.h"
#include "tests/support/test_support.h"

using namespace astro;
using namespace astro::gui;
namespace fs = std::filesystem;

namespace {

constexpr int kCheckTimeoutMs = 20000;   // one `astro` start each, on a loaded 2-core machine
constexpr int kWorkerTimeoutMs = 90000;  // a worker start, a checkpoint and stop

store::Event makeEvent(std::int64_t seq, store::EventKind kind, nlohmann::json payload) {
  return store::Event{.runId = 1, .seq = seq, .time = {}, .kind = kind, .payload = payload};
}

// A one-stage pipeline: SFT of the tiny model on the world fixture, long enough to cancel.
QString sftConfig(const fs::path& model, const fs::path& data, int epochs) {
  return QStringLiteral(
             "# SFT only\n[run]\nname = \"launch test\"\nthreads = 1\n\n[sft]\nmodel = \"%1\"\n"
             "data = \"%2\"\nlearning_rate = 1e-3\nsequences_per_step = 1\nmax_length = 160\n"
             "epochs = %3\ncheckpoint_every = 1000\n")
      .arg(QString::fromStdString(model.string()), QString::fromStdString(data.string()))
      .arg(epochs);
}

qint64 workerPid(const fs::path& workspace, std::int64_t runId) {
  QFile lock(QString::fromStdString(
      (workspace / "runs" / std::to_string(runId) / "worker.lock").string()));
  if (!lock.open(QIODevice::ReadOnly)) return 0;
  return QString::fromLatin1(lock.readAll()).trimmed().toLongLong();
}

}  // namespace

class LaunchViewTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("AstroStudioTests");
    QCoreApplication::setApplicationName("launch_view_test");
    QSettings().clear();
    qputenv("ASTRO_CLI", ASTRO_CLI_PATH);
  }

  void cleanup() {
    // A failed test must not leave its detached worker training.
    if (workspace_.empty()) return;
    for (std::int64_t runId = 1; runId <= 3; ++runId) {
      qint64 pid = workerPid(workspace_, runId);
      if (processAlive(pid)) ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
    workspace_.clear();
  }

  void configText_setsAddsAndRemovesKeys_keepingComments() {
    QString text =
        "# preset\n[run]\nname = \"x\"  # shown in tables\n\n[sft]\nepochs = 2\n"
        "datasets = [\n  \"a\",\n  \"b\",\n]\n\n[rl]\nsteps = 3\n";
    QCOMPARE(tomlValueText(text, "run", "name"), std::optional<QString>("\"x\""));
    QCOMPARE(tomlValueText(text, "sft", "datasets"),
             std::optional<QString>("[\n  \"a\",\n  \"b\",\n]"));
    QCOMPARE(tomlValueText(text, "rl", "epochs"), std::nullopt);
    QCOMPARE(tomlValueText(text, "search", "limit"), std::nullopt);
    QCOMPARE(tomlTables(text), QStringList({"run", "sft", "rl"}));

    QString renamed = withTomlValue(text, "run", "name", "\"y\"");
    QVERIFY(renamed.contains("name = \"y\" # shown in tables\n"));
    QString added = withTomlValue(text, "sft", "learning_rate", "5e-4");
    QVERIFY2(added.contains("]\nlearning_rate = 5e-4\n\n[rl]"), qPrintable(added));
    QString replacedArray = withTomlValue(text, "sft", "datasets", "[\"c\"]");
    QVERIFY2(replacedArray.contains("[sft]\nepochs = 2\ndatasets = [\"c\"]\n\n[rl]"),
             qPrintable(replacedArray));
    QString removed = withTomlValue(text, "sft", "epochs", "");
    QVERIFY(!removed.contains("epochs"));
    QString newTable = withTomlValue(text, "analyze", "bootstrap", "50");
    QVERIFY(newTable.endsWith("steps = 3\n\n[analyze]\nbootstrap = 50\n"));
    QCOMPARE(tomlTables(withTomlTable(text, "sft", false)), QStringList({"run", "rl"}));
    QCOMPARE(withTomlTable(text, "rl", true), text);

    QCOMPARE(tomlQuoted("a \"b\" \\c"), QString("\"a \\\"b\\\" \\\\c\""));
    QCOMPARE(tomlUnquoted(tomlQuoted("a \"b\" \\c")), std::optional<QString>("a \"b\" \\c"));
    QCOMPARE(tomlUnquoted("'lit'"), std::optional<QString>("lit"));
    QCOMPARE(tomlUnquoted("3"), std::nullopt);
  }

  void runFollowModel_appliesEachSeqOnce_withProgressEtaAndMetrics() {
    RunFollowModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset(1);
    using K = store::EventKind;
    std::vector<store::Event> first{
        makeEvent(1, K::kLog,
                  {{"message", "started"}, {"status", "running"}, {"name", "n"}, {"stages", 2}}),
        makeEvent(2, K::kStageStarted, {{"stage", "sft"}, {"position", 1}, {"stages", 2}}),
        makeEvent(3, K::kProgress,
                  {{"stage", "sft"},
                   {"phase", "training"},
                   {"done", 40},
                   {"total", 120},
                   {"eta_seconds", 95}}),
        makeEvent(4, K::kMetric,
                  {{"stage", "sft"}, {"name", "sft/loss"}, {"step", 1}, {"value", 2.5}}),
    };
    model.apply(first);
    // A re-read overlapping what the model holds changes nothing.
    std::vector<store::Event> overlap{
        first[3],
        makeEvent(5, K::kMetric,
                  {{"stage", "sft"}, {"name", "sft/loss"}, {"step", 2}, {"value", 2.0}}),
        makeEvent(6, K::kMetric,
                  {{"stage", "sft"}, {"name", "sft/grad_norm"}, {"step", 2}, {"value", 0.5}})};
    model.apply(overlap);
    QCOMPARE(model.lastSeq(), std::int64_t(6));
    QCOMPARE(model.logLines().size(), 6);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.metric("sft/loss"), std::optional<double>(2.0));
    QCOMPARE(model.index(0, RunFollowModel::kStep).data().toLongLong(), 2);
    QCOMPARE(model.status(), QString("running"));
    QCOMPARE(model.progressText(),
             QString("run 1 (n) — running — [1/2 sft] training 40/120 (33%), ETA 1 min 35 s"));
    model.apply({makeEvent(7, K::kLog, {{"message", "cancelled"}, {"status", "cancelled"}})});
    QCOMPARE(model.status(), QString("cancelled"));
    QVERIFY(!model.progressText().contains("ETA"));
    model.apply({makeEvent(3, K::kLog, {{"message", "old"}})});  // below lastSeq: ignored
    QCOMPARE(model.logLines().size(), 7);
  }

  void launchView_formAndToml_stayInSync() {
    LaunchView view;
    view.setConfig(sftConfig("/m", "/d.jsonl", 2), "/tmp", "sync");
    ConfigForm* form = view.form();
    QTRY_VERIFY_WITH_TIMEOUT(form->hasSchema(), kCheckTimeoutMs);
    QCOMPARE(form->value("sft", "epochs"), QString("2"));
    QCOMPARE(form->value("sft", "model"), QString("\"/m\""));
    QCOMPARE(form->value("sft", "schedule"), QString());  // left to its default
    QVERIFY(form->tablePresent("sft"));
    QVERIFY(!form->tablePresent("rl"));

    form->edit("sft", "epochs", "7");
    QVERIFY2(view.configText().contains("\nepochs = 7\n"), qPrintable(view.configText()));
    form->edit("sft", "schedule", "\"constant\"");
    QVERIFY(view.configText().contains("checkpoint_every = 1000\nschedule = \"constant\""));
    form->edit("sft", "learning_rate", "");
    QVERIFY(!view.configText().contains("learning_rate"));
    form->setTablePresent("analyze", true);
    QVERIFY(view.configText().endsWith("[analyze]\n"));

    QString typed = view.configText().replace("epochs = 7", "epochs = 9");
    view.setConfigText(typed);
    QTRY_COMPARE_WITH_TIMEOUT(form->value("sft", "epochs"), QString("9"), kCheckTimeoutMs);
    QCOMPARE(form->value("sft", "schedule"), QString("\"constant\""));
    QVERIFY(form->tablePresent("analyze"));
  }

  void launchView_opensMiniatureQuickWhenShown_andItChecksValid() {
    LaunchView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* presets = view.findChild<QComboBox*>("launchPresets");
    QVERIFY(presets->count() >= 4);
    QCOMPARE(presets->currentText(), QString("miniature-quick"));
    QVERIFY(view.configText().contains("[run]"));
    // Preset paths (the phrase set) resolve against resources/pipelines.
    QTRY_VERIFY_WITH_TIMEOUT(view.lastCheck().ok || !view.lastCheck().message.isEmpty(),
                             kCheckTimeoutMs);
    QVERIFY2(view.lastCheck().ok, qPrintable(view.lastCheck().message));
    QTRY_VERIFY_WITH_TIMEOUT(view.form()->hasSchema(), kCheckTimeoutMs);
    QVERIFY(view.form()->tablePresent("run"));
    view.resize(1400, 900);
    QDir().mkpath(ASTRO_BINARY_DIR "/test-tmp/screenshots");
    QVERIFY(view.grab().save(ASTRO_BINARY_DIR "/test-tmp/screenshots/launch-preset.png"));
  }

  void launchView_checksLive_namingKeyAndLine() {
    LaunchView view;
    QSignalSpy checked(&view, &LaunchView::configChecked);
    view.setConfig(
        "[run]\nname = \"bad\"\n\n[search]\ndataset = \"/p.jsonl\"\nmodel = \"/m\"\n"
        "itertions = 3\n",
        "/tmp", "bad");
    QTRY_VERIFY_WITH_TIMEOUT(checked.count() >= 1, kCheckTimeoutMs);
    QVERIFY(!view.lastCheck().ok);
    QCOMPARE(view.lastCheck().line, 7);
    QCOMPARE(view.lastCheck().field, QString("search.itertions"));
    QVERIFY2(view.checkText().contains("line 7") && view.checkText().contains("unknown key"),
             qPrintable(view.checkText()));

    view.setConfigText(view.configText().replace("itertions = 3", "iterations = 0"));
    QTRY_VERIFY_WITH_TIMEOUT(checked.count() >= 2, kCheckTimeoutMs);
    QCOMPARE(view.lastCheck().field, QString("search.iterations"));
    QVERIFY2(view.lastCheck().message.contains("0 is out of range [1, 1000000]"),
             qPrintable(view.lastCheck().message));
    QVERIFY(view.form()->editor("search", "iterations")->toolTip().contains("out of range"));

    view.setConfigText(view.configText().replace("iterations = 0", "iterations = 4"));
    QTRY_VERIFY_WITH_TIMEOUT(checked.count() >= 3, kCheckTimeoutMs);
    QVERIFY2(view.lastCheck().ok, qPrintable(view.lastCheck().message));
    QCOMPARE(view.lastCheck().stages, QStringList({"search"}));
  }

  void localLaunch_outlivesTheView_reattaches_cancelsAndResumes() {
    fs::path dir = test::freshTempDir("launch-view-run");
    workspace_ = dir / "workspace";
    fs::path model = dir / "model";
    auto init = test::runProgram(
        ASTRO_CLI_PATH,
        {"model", "init", "--config", ASTRO_SOURCE_DIR "/resources/world/models/tiny.json",
         "--seed", "1", "--out", QString::fromStdString(model.string())});
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) {
      fs::copy_file(fs::path(ASTRO_SOURCE_DIR) / "resources/world" / name, model / name);
    }
    fs::copy_file(fs::path(ASTRO_SOURCE_DIR) / "tests/pipeline/data/world_direct_sft.jsonl",
                  dir / "sft.jsonl");

    auto studio = std::make_unique<LaunchView>();
    LaunchView& view = *studio;
    view.setPollInterval(200);
    view.setWorkspace(workspace_);
    QSignalSpy started(&view, &LaunchView::runStarted);
    // Relative paths resolve against the preset's folder, also when the run is resumed.
    view.setConfig(sftConfig("model", "sft.jsonl", 100), QString::fromStdString(dir.string()),
                   "sft-only");
    QTRY_VERIFY_WITH_TIMEOUT(view.lastCheck().ok, kCheckTimeoutMs);
    view.start();
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, kWorkerTimeoutMs);
    std::int64_t runId = started.first().first().toLongLong();
    QCOMPARE(runId, std::int64_t(1));
    RunFollowModel* followed = view.followModel();
    QTRY_VERIFY_WITH_TIMEOUT(followed->metric("sft/loss").has_value(), kWorkerTimeoutMs);
    QCOMPARE(followed->status(), QString("running"));
    QCOMPARE(followed->progress().stage, QString("sft"));
    QTRY_VERIFY_WITH_TIMEOUT(followed->progress().total > 0, kWorkerTimeoutMs);
    QVERIFY(QFile::exists(QString::fromStdString((workspace_ / "launch").string())));
    qint64 pid = workerPid(workspace_, runId);
    QVERIFY(processAlive(pid));
    view.resize(1400, 900);
    QDir().mkpath(ASTRO_BINARY_DIR "/test-tmp/screenshots");
    QVERIFY(view.grab().save(ASTRO_BINARY_DIR "/test-tmp/screenshots/launch.png"));

    // Closing the studio leaves the worker running; reopened, it finds the run and follows it.
    std::int64_t held = followed->lastSeq();
    studio.reset();
    LaunchView reopened;
    reopened.setPollInterval(200);
    QSignalSpy found(&reopened, &LaunchView::runningFound);
    reopened.setWorkspace(workspace_);
    QTRY_COMPARE_WITH_TIMEOUT(found.count(), 1, kCheckTimeoutMs);
    QCOMPARE(found.first().first().toInt(), 1);
    followed = reopened.followModel();
    QCOMPARE(followed->runId(), runId);
    QTRY_VERIFY_WITH_TIMEOUT(followed->lastSeq() > held + 3, kWorkerTimeoutMs);
    QCOMPARE(workerPid(workspace_, runId), pid);
    QVERIFY(processAlive(pid));
    QCOMPARE(followed->status(), QString("running"));

    reopened.cancelRun();
    QTRY_COMPARE_WITH_TIMEOUT(followed->status(), QString("cancelled"), kWorkerTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pid), kWorkerTimeoutMs);
    std::int64_t seqAtCancel = followed->lastSeq();

    reopened.resumeRun();
    QTRY_COMPARE_WITH_TIMEOUT(followed->status(), QString("running"), kWorkerTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(followed->lastSeq() > seqAtCancel + 2, kWorkerTimeoutMs);
    QVERIFY(workerPid(workspace_, runId) != pid);
    reopened.cancelRun();
    QTRY_COMPARE_WITH_TIMEOUT(followed->status(), QString("cancelled"), kWorkerTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(workerPid(workspace_, runId)), kWorkerTimeoutMs);
    // Every event once, in order, from the whole log.
    const QStringList& lines = followed->logLines();
    for (int i = 0; i < lines.size(); ++i) {
      QVERIFY2(lines[i].startsWith(QStringLiteral("#%1 ").arg(i + 1)), qPrintable(lines[i]));
    }
    QVERIFY(reopened.followPanel()->logText().contains("cancelled"));
  }

  void hostsDialog_checksWithTheBuiltAstro_andNamesARefusedPort() {
    if (QStandardPaths::findExecutable("ssh").isEmpty()) QSKIP("no ssh client on PATH");
    fs::path config = test::freshTempDir("launch-view-hosts");
    QByteArray previous = qgetenv("ASTRO_CONFIG_HOME");
    qputenv("ASTRO_CONFIG_HOME", QByteArray::fromStdString(config.string()));
    remote::HostRegistry().save({.name = "closed",
                                 .kind = remote::HostKind::kSsh,
                                 .ssh = remote::parseSshDestination("127.0.0.1:1"),
                                 .sshOptions = {},
                                 .workspace = "/tmp/astro-remote",
                                 .astro = "astro",
                                 .slurm = {}});
    HostsDialog dialog(remote::hostsFolder(), ASTRO_CLI_PATH);
    QSignalSpy loaded(&dialog, &HostsDialog::loaded);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, kCheckTimeoutMs);
    QSignalSpy checked(&dialog, &HostsDialog::checked);
    dialog.selectProfile("closed");
    dialog.checkProfile();  // `astro remote check closed --json` reads the same config folder
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, kCheckTimeoutMs);
    qputenv("ASTRO_CONFIG_HOME", previous);
    QCOMPARE(checked[0][1].toBool(), false);
    QVERIFY2(dialog.checkText().startsWith("closed (127.0.0.1:1)\nUnreachable (refused): ") &&
                 dialog.checkText().contains("Connection refused"),
             qPrintable(dialog.checkText()));
  }

 private:
  fs::path workspace_;
};

QTEST_MAIN(LaunchViewTest)
#include "launch_view_test.moc"
