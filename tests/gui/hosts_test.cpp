// Remote hosts in the studio (gui/hosts, gui/launch, gui/workspace): the host profile model under
// QAbstractItemModelTester; the Hosts dialog adding, editing and removing SSH and Slurm profiles in
// a temporary $ASTRO_CONFIG_HOME, with core's validation errors inline and a broken profile file
// named; Check reading `astro remote check --json`; the Launch view's target chooser and the
// RemoteLaunchTarget's command lines; the overview and side panel of a mirrored run (host, remote
// run id, Slurm job and state, last contact and error); Fetch of a checkpoint still on the host;
// mirrors re-attached when a workspace opens. The `astro` these start is a recording stub
// (tests/gui/data/astro_stub.sh): real launches over ssh and Slurm are tests/remote's.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTreeView>
#include <QtTest>
#include <fstream>

#include "core/base/atomic_file.h"
#include "core/remote/host_profile.h"
#include "core/store/workspace.h"
#include "gui/hosts/host_check.h"
#include "gui/hosts/host_profile_form.h"
#include "gui/hosts/host_profile_model.h"
#include "gui/hosts/hosts_dialog.h"
#include "gui/launch/launch_view.h"
#include "gui/launch/local_launch_target.h"
#include "gui/launch/mirror_reattach.h"
#include "gui/launch/remote_launch_target.h"
#include "gui/main_window.h"
#include "gui/workspace/artifact_fetch.h"
#include "gui/workspace/run_overview_view.h"
#include "gui/workspace/workspace_model.h"
#include "tests/support/test_support.h"

using namespace astro;
using namespace astro::gui;
namespace fs = std::filesystem;

namespace {

constexpr int kTimeoutMs = 20000;  // a pool read or a stub process on a loaded 2-core machine

remote::HostProfile sshProfile(const std::string& name) {
  return {.name = name,
          .kind = remote::HostKind::kSsh,
          .ssh = remote::parseSshDestination("alice@" + name + ":2222"),
          .sshOptions = {"-i", "/home/alice/.ssh/id_gpu"},
          .workspace = "/data/astro",
          .astro = "/opt/astro/bin/astro",
          .slurm = {}};
}

remote::HostProfile slurmProfile(const std::string& name) {
  return {.name = name,
          .kind = remote::HostKind::kSlurm,
          .ssh = {},
          .sshOptions = {},
          .workspace = "/scratch/astro",
          .astro = "astro",
          .slurm = {.login = "local",
                    .partition = "gpu",
                    .nodes = 2,
                    .gpusPerNode = 4,
                    .cpusPerTask = 16,
                    .memory = "64G",
                    .timeLimit = "24:00:00",
                    .account = "proj-7",
                    .qos = "high",
                    .extraSbatch = {"#SBATCH --constraint=h100"}}};
}

QString qtext(const fs::path& path) { return QString::fromStdString(path.string()); }

// The stub's log: one line per invocation, each argument in brackets.
QStringList stubCalls(const fs::path& log) {
  QFile file(qtext(log));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

QString bracketed(const QStringList& arguments) {
  QString line;
  for (const QString& argument : arguments) line += QStringLiteral("[%1]").arg(argument);
  return line;
}

// Run 1 on "gpu-a" running, run 2 on Slurm "cluster" pending (job 4242 PENDING for Resources, its
// host not reached), run 3 on this machine running, run 4 on "gpu-a" finished. Run
// 1 has a checkpoint whose files are still on the host.
fs::path makeWorkspace(const QString& name) {
  fs::path folder = test::freshTempDir(name);
  auto workspace = store::Workspace::open(folder);
  auto add = [&](const char* runName, store::RunStatus status) {
    auto run = workspace.runs().create({.name = runName, .config = "[run]\n", .host = "local"});
    workspace.runs().updateStatus(run.id, status);
    return run.id;
  };
  auto gpu = add("on gpu-a", store::RunStatus::kRunning);
  auto queued = add("queued", store::RunStatus::kPending);
  add("here", store::RunStatus::kRunning);
  auto done = add("done on gpu-a", store::RunStatus::kFinished);
  auto onGpuA = [](std::int64_t runId, std::int64_t remoteRunId) {
    return store::RemoteRun{.runId = runId,
                            .profile = "gpu-a",
                            .kind = "ssh",
                            .destination = "alice@gpu-a:2222",
                            .remoteWorkspace = "/data/astro",
                            .remoteRunId = remoteRunId};
  };
  workspace.remoteRuns().add(onGpuA(gpu, 12));
  workspace.remoteRuns().add(onGpuA(done, 13));
  workspace.remoteRuns().add({.runId = queued,
                              .profile = "cluster",
                              .kind = "slurm",
                              .destination = "local",
                              .remoteWorkspace = "/scratch/astro",
                              .remoteRunId = 3});
  workspace.remoteRuns().setSlurmJob(queued, "4242", "PENDING", "Resources");
  workspace.remoteRuns().setContact(queued, "ssh: connect to host login1: Connection timed out");
  workspace.artifacts().add({.runId = gpu,
                             .stageId = std::nullopt,
                             .kind = "checkpoint",
                             .path = "runs/1/checkpoint-100",
                             .sha256 = std::string(64, 'b'),
                             .sizeBytes = 4096});
  return folder;
}

// What `astro remote check gpu-a --json` prints for a reachable host with one H100.
const char* kReachableCheck = R"json({
  "profile": "gpu-a", "where": "gpu-a (alice@gpu-a:2222)", "reachable": true, "ok": true,
  "round_trip_ms": 12.3, "problems": [],
  "local": {"hostname": "laptop", "astro": "0.1.0", "schema": 6, "mirror_format": 1,
            "libtorch": "1.13.1", "cuda": "none", "driver": "", "gpus": [], "workspace": "",
            "disk_free_bytes": -1},
  "host": {"hostname": "gpu-a1", "astro": "0.1.0", "schema": 6, "mirror_format": 1,
           "libtorch": "2.3.0", "cuda": "1 device(s)", "driver": "550.54.15",
           "gpus": [{"index": 0, "name": "NVIDIA H100 80GB HBM3", "free_bytes": 80000000000,
                     "total_bytes": 85520809984}],
           "workspace": "/data/astro", "disk_free_bytes": 1000000000000}
})json";

const char* kRefusedCheck = R"({"profile": "cluster", "where": "this machine", "reachable": false,
  "ok": false, "round_trip_ms": 0, "problems": [], "failure": "refused",
  "error": "ssh: connect to host login1 port 22: Connection refused",
  "local": {"astro": "0.1.0", "schema": 6}})";

}  // namespace

class HostsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("AstroStudioTests");
    QCoreApplication::setApplicationName("gui_hosts_test");
    QSettings().clear();
    stubDir_ = test::freshTempDir("hosts-stub");
    stubLog_ = stubDir_ / "calls.log";
    // The stub prints what the real commands print, from files this test writes beside it.
    fs::path stub = stubDir_ / "astro";
    fs::copy_file(ASTRO_SOURCE_DIR "/tests/gui/data/astro_stub.sh", stub);
    fs::permissions(stub, fs::perms::owner_all);
    writeFileAtomically(stubDir_ / "check-gpu-a.json", kReachableCheck);
    writeFileAtomically(stubDir_ / "check-cluster.json", kRefusedCheck);
    stub_ = qtext(stub);
    qputenv("ASTRO_CLI", stub_.toUtf8());
    qputenv("ASTRO_STUB_DIR", qtext(stubDir_).toUtf8());
  }

  void init() {
    // Each test its own profiles folder.
    configHome_ = test::freshTempDir("hosts-config");
    qputenv("ASTRO_CONFIG_HOME", qtext(configHome_).toUtf8());
    fs::remove(stubLog_);
  }

  void hostProfileModel_passesModelTester_andReadsEachFileOnItsOwn() {
    remote::HostRegistry registry;
    registry.save(sshProfile("gpu-a"));
    registry.save(slurmProfile("cluster"));
    writeFileAtomically(registry.folder() / "broken.toml", "kind = \"ssh\"\nworkspace = 3\n");

    HostProfileList list = readHostProfiles(registry.folder());
    QCOMPARE(list.profiles.size(), std::size_t(2));
    QCOMPARE(list.errors.size(), 1);
    QVERIFY2(list.errors[0].contains("broken.toml:2") && list.errors[0].contains("workspace"),
             qPrintable(list.errors[0]));

    HostProfileModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProfiles(list.profiles);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 4);
    auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(0, 0), QString("cluster"));  // by name
    QCOMPARE(cell(0, 1), QString("Slurm"));
    QCOMPARE(cell(0, 2), QString("login local, partition gpu, 2 × 4 GPU(s)"));
    QCOMPARE(cell(0, 3), QString("/scratch/astro"));
    QCOMPARE(cell(1, 0), QString("gpu-a"));
    QCOMPARE(cell(1, 1), QString("SSH"));
    QCOMPARE(cell(1, 2), QString("alice@gpu-a:2222"));
    QCOMPARE(model.index(1, 2).data(Qt::ToolTipRole).toString(),
             QString("ssh options: -i /home/alice/.ssh/id_gpu"));
    QCOMPARE(model.rowOf("gpu-a"), 1);
    QCOMPARE(model.rowOf("nope"), -1);
    model.setProfiles({});
    QCOMPARE(model.rowCount(), 0);
  }

  void hostsDialog_addsEditsAndRemovesProfiles() {
    HostsDialog dialog(remote::hostsFolder(), stub_);
    QSignalSpy loaded(&dialog, &HostsDialog::loaded);
    QSignalSpy changed(&dialog, &HostsDialog::profilesChanged);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, kTimeoutMs);
    QCOMPARE(dialog.model()->rowCount(), 0);

    // Add an SSH host through the form.
    HostProfileForm* form = dialog.addProfile();
    QVERIFY(form && form->isVisible());
    QVERIFY(!form->canSave());  // an empty form names what is missing
    form->findChild<QLineEdit*>("hostName")->setText("gpu-b");
    form->findChild<QLineEdit*>("hostDestination")->setText("bob@gpu-b.lab:2200");
    form->findChild<QLineEdit*>("hostWorkspace")->setText("/srv/astro");
    form->findChild<QPlainTextEdit*>("hostSshOptions")->setPlainText("-o\nProxyJump=gate\n");
    QVERIFY2(form->canSave(), qPrintable(form->errorText()));
    form->findChild<QPushButton*>("hostSave")->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rowCount(), 1, kTimeoutMs);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dialog.selectedName(), QString("gpu-b"));
    remote::HostProfile saved = remote::HostRegistry().get("gpu-b");
    QCOMPARE(saved.ssh.text(), std::string("bob@gpu-b.lab:2200"));
    QCOMPARE(saved.workspace, std::string("/srv/astro"));
    QCOMPARE(saved.astro, std::string("astro"));
    QCOMPARE(saved.sshOptions, (std::vector<std::string>{"-o", "ProxyJump=gate"}));

    // Add a Slurm cluster: every #SBATCH setting of the form lands in the file.
    form = dialog.addProfile();
    form->findChild<QLineEdit*>("hostName")->setText("cluster");
    form->findChild<QComboBox*>("hostKind")->setCurrentIndex(1);
    form->findChild<QLineEdit*>("hostWorkspace")->setText("/scratch/astro");
    form->findChild<QComboBox*>("hostSlurmLogin")->setCurrentText("gpu-b");
    form->findChild<QLineEdit*>("hostPartition")->setText("gpu");
    form->findChild<QSpinBox*>("hostNodes")->setValue(2);
    form->findChild<QSpinBox*>("hostGpusPerNode")->setValue(4);
    form->findChild<QSpinBox*>("hostCpusPerTask")->setValue(16);
    form->findChild<QLineEdit*>("hostMemory")->setText("64G");
    form->findChild<QLineEdit*>("hostTime")->setText("24:00:00");
    form->findChild<QLineEdit*>("hostAccount")->setText("proj-7");
    form->findChild<QLineEdit*>("hostQos")->setText("high");
    form->findChild<QPlainTextEdit*>("hostSbatch")->setPlainText("#SBATCH --constraint=h100");
    QVERIFY2(form->canSave(), qPrintable(form->errorText()));
    form->save();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rowCount(), 2, kTimeoutMs);
    remote::SlurmSettings slurm = remote::HostRegistry().get("cluster").slurm;
    QCOMPARE(slurm.login, std::string("gpu-b"));
    QCOMPARE(slurm.partition, std::string("gpu"));
    QCOMPARE(slurm.nodes, 2);
    QCOMPARE(slurm.gpusPerNode, 4);
    QCOMPARE(slurm.cpusPerTask, 16);
    QCOMPARE(slurm.memory, std::string("64G"));
    QCOMPARE(slurm.timeLimit, std::string("24:00:00"));
    QCOMPARE(slurm.account, std::string("proj-7"));
    QCOMPARE(slurm.qos, std::string("high"));
    QCOMPARE(slurm.extraSbatch, std::vector<std::string>{"#SBATCH --constraint=h100"});

    // Edit: the form opens filled, the name stays, the file is replaced.
    dialog.selectProfile("gpu-b");
    form = dialog.editProfile();
    QVERIFY(form);
    auto* name = form->findChild<QLineEdit*>("hostName");
    QCOMPARE(name->text(), QString("gpu-b"));
    QVERIFY(name->isReadOnly());
    QCOMPARE(form->findChild<QLineEdit*>("hostDestination")->text(), QString("bob@gpu-b.lab:2200"));
    form->findChild<QLineEdit*>("hostWorkspace")->setText("/srv/other");
    form->findChild<QLineEdit*>("hostAstro")->setText("/opt/astro/bin/astro");
    form->save();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 3, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(
        dialog.model()->index(dialog.model()->rowOf("gpu-b"), HostProfileModel::kWorkspace).data(),
        QVariant("/srv/other"), kTimeoutMs);
    QCOMPARE(remote::HostRegistry().get("gpu-b").astro, std::string("/opt/astro/bin/astro"));

    // Remove asks first; Yes deletes the file.
    dialog.selectProfile("gpu-b");
    dialog.removeProfile();
    auto* confirm = dialog.findChild<QMessageBox*>("hostRemoveConfirm");
    QVERIFY(confirm);
    QVERIFY(fs::exists(remote::hostsFolder() / "gpu-b.toml"));
    confirm->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rowCount(), 1, kTimeoutMs);
    QVERIFY(!fs::exists(remote::hostsFolder() / "gpu-b.toml"));
    QCOMPARE(changed.count(), 4);
    QCOMPARE(dialog.model()->index(0, 0).data().toString(), QString("cluster"));
  }

  void hostForm_showsCoreValidationErrorsInline() {
    remote::HostRegistry().save(sshProfile("gpu-a"));
    HostProfileForm form(remote::hostsFolder(), std::nullopt, {});
    auto* name = form.findChild<QLineEdit*>("hostName");
    auto* destination = form.findChild<QLineEdit*>("hostDestination");
    auto* workspace = form.findChild<QLineEdit*>("hostWorkspace");
    name->setText("gpu-c");
    destination->setText("carol@gpu-c");
    workspace->setText("relative/path");
    QVERIFY(!form.canSave());
    QCOMPARE(form.errorText(), QString("host profile 'gpu-c': workspace 'relative/path' must be "
                                       "an absolute path on the host"));
    workspace->setText("/data/astro");
    QVERIFY2(form.canSave(), qPrintable(form.errorText()));

    name->setText("x; rm -rf ~");
    QVERIFY(!form.canSave());
    QCOMPARE(form.errorText(),
             QString("host profile name 'x; rm -rf ~': only letters, digits, '.', '_' and '-'"));
    name->setText("-oProxyCommand=touch");
    QCOMPARE(form.errorText(),
             QString("host profile name '-oProxyCommand=touch' may not start with '-' or '.'"));
    name->setText("local");
    QVERIFY(form.errorText().contains("reserved"));
    name->setText("gpu-c");
    destination->setText("-oProxyCommand=touch");
    QVERIFY(form.errorText().contains("may not start with '-'"));
    destination->setText("carol@gpu-c;reboot");
    QVERIFY(form.errorText().contains("shell characters"));
    destination->setText("carol@gpu-c");
    form.findChild<QComboBox*>("hostKind")->setCurrentIndex(1);
    auto* sbatch = form.findChild<QPlainTextEdit*>("hostSbatch");
    sbatch->setPlainText("--exclusive");
    QVERIFY(form.errorText().contains("must start with \"#SBATCH \""));
    sbatch->setPlainText("#SBATCH --exclusive");
    QVERIFY2(form.canSave(), qPrintable(form.errorText()));

    // A name that exists: the registry's refusal is shown the same way, and nothing is written.
    form.findChild<QComboBox*>("hostKind")->setCurrentIndex(0);
    name->setText("gpu-a");
    QSignalSpy saved(&form, &HostProfileForm::saved);
    form.save();
    QCOMPARE(saved.count(), 0);
    QVERIFY2(form.errorText().contains("host profile 'gpu-a' exists"),
             qPrintable(form.errorText()));
    QCOMPARE(remote::HostRegistry().get("gpu-a").ssh.user, std::string("alice"));
  }

  void hostsDialog_namesBrokenFiles_andChecksHosts() {
    remote::HostRegistry registry;
    registry.save(sshProfile("gpu-a"));
    registry.save(slurmProfile("cluster"));
    writeFileAtomically(registry.folder() / "broken.toml", "kind = \"ftp\"\n");
    HostsDialog dialog(remote::hostsFolder(), stub_);
    QSignalSpy loaded(&dialog, &HostsDialog::loaded);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, kTimeoutMs);
    QCOMPARE(dialog.model()->rowCount(), 2);
    QVERIFY2(dialog.listErrors().contains("broken.toml:1") &&
                 dialog.listErrors().contains("expected \"ssh\" or \"slurm\""),
             qPrintable(dialog.listErrors()));

    QSignalSpy checked(&dialog, &HostsDialog::checked);
    dialog.selectProfile("gpu-a");
    dialog.checkProfile();
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, kTimeoutMs);
    QCOMPARE(checked[0][0].toString(), QString("gpu-a"));
    QCOMPARE(checked[0][1].toBool(), true);
    QCOMPARE(dialog.checkText(),
             QString("gpu-a (alice@gpu-a:2222)\n"
                     "Reachable, round trip 12 ms\n"
                     "Host gpu-a1: astro 0.1.0 (here 0.1.0), store schema 6 (here 6)\n"
                     "libtorch 2.3.0, CUDA 1 device(s), driver 550.54.15\n"
                     "GPU 0: NVIDIA H100 80GB HBM3, 74.5 GiB free of 79.6 GiB\n"
                     "Workspace /data/astro: 931.3 GiB free\n"
                     "OK: runs can go there"));
    QVERIFY(stubCalls(stubLog_).contains(bracketed({"remote", "check", "gpu-a", "--json"})));

    dialog.selectProfile("cluster");
    dialog.checkProfile();
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 2, kTimeoutMs);
    QCOMPARE(checked[1][1].toBool(), false);
    QCOMPARE(
        dialog.checkText(),
        QString(
            "cluster: this machine\nUnreachable (refused): ssh: connect to host login1 port 22: "
            "Connection refused"));

    // No report on stdout: stderr is the message.
    HostCheckReport failed = parseHostCheck("", "no host profile 'x' in /h\n");
    QVERIFY(!failed.ok);
    QCOMPARE(failed.text(), QString("no host profile 'x' in /h"));
  }

  void launchView_chooserListsThisMachineAndProfiles_andCreatesRemoteTarget() {
    remote::HostRegistry registry;
    registry.save(sshProfile("gpu-a"));
    registry.save(slurmProfile("cluster"));
    writeFileAtomically(registry.folder() / "broken.toml", "workspace = [\n");
    fs::path workspace = test::freshTempDir("hosts-launch");
    LaunchView view;
    QSignalSpy hostsLoaded(&view, &LaunchView::hostsLoaded);
    view.setWorkspace(workspace);
    QTRY_VERIFY_WITH_TIMEOUT(hostsLoaded.count() >= 1, kTimeoutMs);
    QComboBox* chooser = view.targetChooser();
    QCOMPARE(chooser->count(), 3);
    QCOMPARE(chooser->itemText(0), QString("this machine"));
    QCOMPARE(chooser->itemText(1), QString("cluster — Slurm via local"));
    QCOMPARE(chooser->itemText(2), QString("gpu-a — SSH alice@gpu-a:2222"));
    QVERIFY2(view.hostErrors().contains("broken.toml"), qPrintable(view.hostErrors()));
    QVERIFY(dynamic_cast<LocalLaunchTarget*>(view.target()));

    QVERIFY(view.chooseTarget("gpu-a"));
    auto* target = dynamic_cast<RemoteLaunchTarget*>(view.target());
    QVERIFY(target);
    QCOMPARE(target->description(), QString("gpu-a (SSH alice@gpu-a:2222)"));
    QCOMPARE(target->startArguments("/w/launch/sft-1.toml",
                                    {.configText = "", .baseDir = "/presets", .name = "sft"}),
             QStringList({"--workspace", qtext(workspace), "run", "/w/launch/sft-1.toml",
                          "--base-dir", "/presets", "--on", "gpu-a"}));
    QVERIFY(view.chooseTarget("cluster"));
    target = dynamic_cast<RemoteLaunchTarget*>(view.target());
    QVERIFY(target && target->profile().kind == remote::HostKind::kSlurm);
    QCOMPARE(target->startArguments("/c.toml", {}).mid(2),
             QStringList({"run", "/c.toml", "--on", "cluster"}));

    // The chosen profile removed (the Hosts dialog tells the view): back to this machine.
    registry.remove("cluster");
    fs::remove(registry.folder() / "broken.toml");
    view.reloadHosts();
    QTRY_COMPARE_WITH_TIMEOUT(chooser->count(), 2, kTimeoutMs);
    QVERIFY(view.hostErrors().isEmpty());
    QCOMPARE(chooser->currentIndex(), 0);
    QVERIFY(dynamic_cast<LocalLaunchTarget*>(view.target()));
    QVERIFY(!view.chooseTarget("cluster"));
  }

  void remoteTarget_startsDetached_readsRunId_cancels_andReportsStderr() {
    fs::path workspace = test::freshTempDir("hosts-start");
    RemoteLaunchTarget target(workspace, stub_, sshProfile("gpu-a"));
    QSignalSpy started(&target, &LaunchTarget::started);
    QSignalSpy failed(&target, &LaunchTarget::startFailed);
    target.start({.configText = "[run]\nname = \"x\"\n", .baseDir = "/presets", .name = "my run"});
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, kTimeoutMs);
    QCOMPARE(started[0][0].value<std::int64_t>(), std::int64_t(7));
    QCOMPARE(failed.count(), 0);
    QStringList configs = QDir(target.launchFolder()).entryList({"my_run-*.toml"});
    QCOMPARE(configs.size(), 1);
    QString config = QDir(target.launchFolder()).filePath(configs[0]);
    QCOMPARE(stubCalls(stubLog_),
             QStringList{bracketed({"--workspace", qtext(workspace), "run", config, "--base-dir",
                                    "/presets", "--on", "gpu-a"})});

    QSignalSpy commandFailed(&target, &LaunchTarget::commandFailed);
    target.cancel(7);
    target.resume(7);
    QTRY_COMPARE_WITH_TIMEOUT(stubCalls(stubLog_).size(), 3, kTimeoutMs);
    QVERIFY(
        stubCalls(stubLog_).contains(bracketed({"--workspace", qtext(workspace), "cancel", "7"})));
    QVERIFY(
        stubCalls(stubLog_).contains(bracketed({"--workspace", qtext(workspace), "resume", "7"})));

    // The host cannot be reached: `astro run --on` prints only its error.
    RemoteLaunchTarget unreachable(workspace, stub_, sshProfile("down"));
    QSignalSpy downFailed(&unreachable, &LaunchTarget::startFailed);
    unreachable.start({.configText = "[run]\n", .baseDir = {}, .name = "x"});
    QTRY_COMPARE_WITH_TIMEOUT(downFailed.count(), 1, kTimeoutMs);
    QCOMPARE(downFailed[0][0].toString(),
             QString("host down: ssh: connect to host down port 2222: Connection refused"));
    QCOMPARE(commandFailed.count(), 0);
  }

  void remoteTarget_findsRunningAndPendingRunsOfItsProfileOnly() {
    fs::path workspace = makeWorkspace("hosts-running");
    auto found = [&](LaunchTarget& target) {
      QSignalSpy spy(&target, &LaunchTarget::runningFound);
      target.findRunning();
      std::vector<std::int64_t> ids;
      if (!spy.wait(kTimeoutMs)) return ids;
      for (const auto& run : spy[0][0].value<std::vector<RunningRun>>()) ids.push_back(run.runId);
      return ids;
    };
    RemoteLaunchTarget gpu(workspace, stub_, sshProfile("gpu-a"));
    RemoteLaunchTarget cluster(workspace, stub_, slurmProfile("cluster"));
    LocalLaunchTarget local(workspace, stub_);
    QCOMPARE(found(gpu), std::vector<std::int64_t>{1});      // run 4 finished
    QCOMPARE(found(cluster), std::vector<std::int64_t>{2});  // a queued job's run is pending
    QCOMPARE(found(local), std::vector<std::int64_t>{});     // run 3 has no live worker
  }

  void runInfo_showsHostRemoteRunSlurmStateAndLastContact() {
    fs::path workspace = makeWorkspace("hosts-info");
    RunOverviewView overview;
    QSignalSpy loaded(&overview, &RunOverviewView::loaded);
    overview.showRun(workspace, 2);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
    QCOMPARE(overview.remoteText(),
             QString("Runs on cluster (Slurm via local) as run 3 in /scratch/astro\n"
                     "Slurm job 4242: PENDING (Resources)\n"
                     "No contact yet\n"
                     "Last error: ssh: connect to host login1: Connection timed out"));

    overview.showRun(workspace, 1);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeoutMs);
    QCOMPARE(overview.remoteText(),
             QString("Runs on gpu-a (SSH alice@gpu-a:2222) as run 12 in /data/astro\n"
                     "No contact yet"));
    overview.showRun(workspace, 3);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, kTimeoutMs);
    QCOMPARE(overview.remoteText(), QString());

    // The side panel names the host (and the Slurm state) beside the status.
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(readWorkspaceSnapshot(workspace));
    auto status = [&](int row) {
      return model.index(row, WorkspaceModel::kStatus).data().toString();
    };
    QCOMPARE(status(0), QString("running · on gpu-a"));
    QCOMPARE(status(1), QString("pending · on cluster [PENDING]"));
    QCOMPARE(status(2), QString("running"));
    QVERIFY(model.index(1, 0).data(Qt::ToolTipRole).toString().contains("Slurm job 4242"));

    // A contact as the mirror records it (RemoteRunRepository::setContact with no error).
    store::RemoteRun reached{.runId = 5,
                             .profile = "cluster",
                             .kind = "slurm",
                             .destination = "gpu-a",
                             .remoteWorkspace = "/scratch/astro",
                             .remoteRunId = 9,
                             .slurmJobId = "4243",
                             .slurmState = "RUNNING",
                             .lastContact = store::fromMilliseconds(1'700'000'000'000)};
    QCOMPARE(remoteRunLines(reached),
             QStringList({"Runs on cluster (Slurm via gpu-a) as run 9 in /scratch/astro",
                          "Slurm job 4243: RUNNING", "Last contact 2023-11-14T22:13:20.000Z"}));
  }

  void mainWindow_fetchesCheckpointStillOnHost_andReattachesMirrors() {
    fs::path workspace = makeWorkspace("hosts-window");
    MainWindow window(qtext(workspace));
    QSignalSpy loaded(&window, &MainWindow::workspaceLoaded);
    // Opening the workspace re-attached the mirrors of the running and pending remote runs.
    QTRY_COMPARE_WITH_TIMEOUT(stubCalls(stubLog_).size(), 2, kTimeoutMs);
    QStringList calls = stubCalls(stubLog_);
    calls.sort();
    QCOMPARE(calls,
             QStringList({bracketed({"--workspace", qtext(workspace), "remote", "mirror", "1"}),
                          bracketed({"--workspace", qtext(workspace), "remote", "mirror", "2"})}));
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, kTimeoutMs);

    WorkspaceModel* model = window.workspaceModel();
    // Re-reading a run's contents after the fetch removes and inserts rows under the tester.
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->fetchMore(model->indexOfRun(1));  // as expanding it does (the tester may be first)
    auto checkpoint = [&] { return model->index(0, 0, model->indexOfRun(1)); };
    QTRY_VERIFY_WITH_TIMEOUT(checkpoint().isValid(), kTimeoutMs);
    QCOMPARE(checkpoint().data().toString(), QString("checkpoint runs/1/checkpoint-100"));
    QCOMPARE(model->index(0, WorkspaceModel::kStatus, model->indexOfRun(1)).data().toString(),
             QString("checkpoint · 4.0 KiB · on host"));
    QVERIFY(checkpoint().data(WorkspaceModel::kOnHostRole).toBool());
    std::int64_t artifactId = checkpoint().data(WorkspaceModel::kArtifactIdRole).toLongLong();
    QVERIFY(artifactId > 0);

    // Fetch: `astro fetch RUN ARTIFACT` (the stub copies the folder), then the row is re-read.
    QSignalSpy fetched(window.artifactFetch(), &ArtifactFetch::finished);
    window.fetchArtifact(1, artifactId);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.count(), 1, kTimeoutMs);
    QCOMPARE(fetched[0][3].toString(), QString());
    QCOMPARE(fetched[0][2].toString(), qtext(workspace / "runs/1/checkpoint-100"));
    QVERIFY(stubCalls(stubLog_).contains(
        bracketed({"--workspace", qtext(workspace), "fetch", "1", QString::number(artifactId)})));
    QTRY_VERIFY_WITH_TIMEOUT(!checkpoint().data(WorkspaceModel::kOnHostRole).toBool(), kTimeoutMs);
    QCOMPARE(model->index(0, WorkspaceModel::kStatus, model->indexOfRun(1)).data().toString(),
             QString("checkpoint · 4.0 KiB"));

    // A fetch that fails says why.
    fetched.clear();
    window.fetchArtifact(1, 999);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.count(), 1, kTimeoutMs);
    QCOMPARE(fetched[0][3].toString(), QString("run 1 has no artifact 999"));
  }

  void mirrorReattach_leavesFinishedAndLocalRunsAlone() {
    fs::path workspace = makeWorkspace("hosts-reattach");
    std::int64_t requeued = 0;
    {
      // A Slurm run between two jobs of its own: interrupted, its job requeued and pending.
      auto store = store::Workspace::open(workspace);
      auto run = store.runs().create({.name = "requeued", .config = "[run]\n", .host = "cluster"});
      store.runs().updateStatus(run.id, store::RunStatus::kInterrupted);
      store.remoteRuns().add({.runId = run.id,
                              .profile = "cluster",
                              .kind = "slurm",
                              .destination = "local",
                              .remoteWorkspace = "/scratch/astro",
                              .remoteRunId = 9});
      store.remoteRuns().setSlurmJob(run.id, "4243", "PENDING", "BeginTime");
      requeued = run.id;
    }
    MirrorReattach reattach(stub_);
    QSignalSpy started(&reattach, &MirrorReattach::mirrorsStarted);
    reattach.reattach(workspace);
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, kTimeoutMs);
    QCOMPARE(started[0][0].value<std::vector<std::int64_t>>(),
             (std::vector<std::int64_t>{1, 2, requeued}));
    // A second reattach while the first mirrors run: the stub, like `astro remote mirror`, refuses
    // ("already being worked on") and nothing is reported as a failure.
    QSignalSpy failed(&reattach, &MirrorReattach::failed);
    reattach.reattach(workspace);
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, kTimeoutMs);
    QCOMPARE(failed.count(), 0);
  }

 private:
  fs::path stubDir_;
  fs::path stubLog_;
  fs::path configHome_;
  QString stub_;
};

QTEST_MAIN(HostsTest)
#include "hosts_test.moc"
