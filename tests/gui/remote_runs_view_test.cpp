// Remote runs in the studio (gui/launch, gui/workspace): the Launch view's target chooser and the
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
#include "tests/gui/hosts_test_support.h"

using namespace astro;
using namespace astro::gui;
using namespace astro::gui::hosts_fixture;

class RemoteRunsViewTest : public StubbedAstroTest {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { installStub("gui_remote_runs_view_test"); }
  void init() { freshProfiles(); }

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

};

QTEST_MAIN(RemoteRunsViewTest)
#include "remote_runs_view_test.moc"
