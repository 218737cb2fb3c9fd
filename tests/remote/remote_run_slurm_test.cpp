// `astro run --on` a Slurm profile against a REAL single-node Slurm (munge, slurmctld, slurmd
// started by tests/remote/support/slurm_cluster.h) whose login node is this machine: the run is
// submitted as a batch job and followed to COMPLETED with the mirror equal to the cluster's store;
// `astro cancel` stops another mid-run (checkpoint kept, job CANCELLED) and `astro resume`
// submits a new job that finishes it; a third is requeued mid-run with `scontrol requeue` and
// resumes without redoing a finished stage.
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <fstream>

#include "core/remote/remote_shell.h"
#include "core/remote/slurm_state.h"
#include "core/store/workspace.h"
#include "tests/pipeline/pipeline_test_support.h"
#include "tests/remote/support/mirror_compare.h"
#include "tests/remote/support/slurm_cluster.h"
#include "tests/support/test_support.h"

using namespace astro::test;
namespace fs = std::filesystem;

namespace {

const fs::path kSftData = ASTRO_SOURCE_DIR "/tests/pipeline/data/world_direct_sft.jsonl";

std::int64_t runIdOf(const QString& out) {
  QString first = out.section('\n', 0, 0);
  return first.startsWith("run ") ? first.mid(4).toLongLong() : 0;
}

}  // namespace

class RemoteRunSlurmTest : public QObject {
  Q_OBJECT

  SlurmCluster cluster_;
  fs::path root_, clusterWs_, localWs_, fixture_;
  std::string profile_ = "ci-cluster";

  ProcessResult astro(QStringList arguments, int timeoutMs = 600000) {
    return runProgram(cliPath(), withWorkspace(localWs_, arguments), timeoutMs);
  }

  // Two stages, so a requeue can land after the first finished: a short SFT, then an
  // evaluation of its model.
  fs::path writeConfig(const std::string& name, int epochs) {
    fs::path file = root_ / (name + ".toml");
    std::ofstream out(file);
    out << "[run]\nname = \"" << name << "\"\nthreads = 1\n\n[sft]\nmodel = \""
        << (fixture_ / "model").string() << "\"\ndata = \"" << kSftData.string()
        << "\"\nlearning_rate = 1e-3\nsequences_per_step = 1\nmax_length = 160\nepochs = "
        << epochs << "\ncheckpoint_every = 4\n\n[evaluate]\ndatasets = [\""
        << (fixture_ / "puzzles" / "test.jsonl").string()
        << "\"]\nsamples = 2\nmax_new_tokens = 16\n";
    return file;
  }

  astro::store::RemoteRun remoteRun(std::int64_t localId) {
    auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
    return ws.remoteRuns().find(localId).value();
  }

  std::string status(std::int64_t localId) {
    auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
    return astro::store::runStatusName(ws.runs().get(localId).status);
  }

  void requireMirrorEqual(std::int64_t localId) {
    auto expected = mirroredContent(clusterWs_, remoteRun(localId).remoteRunId);
    auto actual = mirroredContent(localWs_, localId, "remote/" + profile_ + "/");
    QVERIFY2(expected == actual, contentDifference(expected, actual).c_str());
  }

  std::string jobState(const std::string& job) {
    auto shell = astro::remote::makeLocalShell();
    return astro::remote::slurmJobStateName(astro::remote::querySlurmJob(*shell, job).state);
  }

 private Q_SLOTS:
  void initTestCase() {
    QString whyNot;
    if (!cluster_.available(&whyNot)) QSKIP(qPrintable("no Slurm to test against: " + whyNot));
    cluster_.exportEnvironment();  // SLURM_CONF for astro and the sbatch it runs
    root_ = freshTempDir("remote-slurm");
    clusterWs_ = root_ / "cluster ws";
    localWs_ = root_ / "local ws";
    qputenv("ASTRO_CONFIG_HOME", QByteArray::fromStdString((root_ / "config").string()));
    fixture_ = freshTempDir("remote-slurm-fixture");
    makeTinyWorldFixture(fixture_);
    auto added = astro({"hosts", "add", QString::fromStdString(profile_), "--slurm", "--login",
                        "local", "--workspace", QString::fromStdString(clusterWs_.string()),
                        "--astro", ASTRO_CLI_PATH, "--partition",
                        QString::fromStdString(cluster_.partition()), "--time", "10:00"});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
  }

  void runOnSlurm_followsJobToCompletedAndMirrorsExactly() {
    auto launched = astro({"run", QString::fromStdString(writeConfig("slurm-ok", 1).string()),
                           "--on", QString::fromStdString(profile_), "--format", "json"});
    QVERIFY2(launched.exitCode == 0, qPrintable(launched.err + "\n" + cluster_.logs()));
    std::int64_t localId = runIdOf(launched.out);
    QVERIFY2(launched.err.contains("submitted Slurm job"), qPrintable(launched.err));
    QCOMPARE(status(localId), std::string("finished"));
    auto remote = remoteRun(localId);
    QCOMPARE(remote.kind, std::string("slurm"));
    QVERIFY(!remote.slurmJobId.empty());
    QCOMPARE(remote.slurmState, std::string("COMPLETED"));
    requireMirrorEqual(localId);
  }

  void cancelMidRun_thenResume_newJobFinishes() {
    auto launched = astro({"run", QString::fromStdString(writeConfig("slurm-cancel", 30).string()),
                           "--on", QString::fromStdString(profile_), "--no-follow"});
    QVERIFY2(launched.exitCode == 0, qPrintable(launched.err));
    std::int64_t localId = runIdOf(launched.out);
    auto remote = remoteRun(localId);
    // Wait until the job's worker has written a checkpoint.
    QTRY_VERIFY_WITH_TIMEOUT(
        !astro::store::Workspace::open(clusterWs_, {.readOnly = true})
             .stages()
             .list(remote.remoteRunId)
             .at(0)
             .checkpoint.empty(),
        180000);
    auto cancelled = astro({"cancel", QString::number(localId)});
    QVERIFY2(cancelled.exitCode == 0, qPrintable(cancelled.err + cluster_.logs()));
    QVERIFY2(cancelled.out.contains("CANCELLED"), qPrintable(cancelled.out));
    auto once = astro({"remote", "mirror", QString::number(localId), "--once"});
    QVERIFY2(once.exitCode == 0, qPrintable(once.err));
    QCOMPARE(status(localId), std::string("cancelled"));
    {
      auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
      QVERIFY(!ws.stages().list(localId).at(0).checkpoint.empty());  // the checkpoint was kept
    }
    auto resumed = astro({"resume", QString::number(localId)});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err + cluster_.logs()));
    QVERIFY(resumed.err.contains("submitted Slurm job"));
    QCOMPARE(status(localId), std::string("finished"));
    QVERIFY(remoteRun(localId).slurmJobId != remote.slurmJobId);
    requireMirrorEqual(localId);
  }

  void cancelWhilePending_endsAtOnce() {
    auto added = astro({"hosts", "add", "ci-later", "--slurm", "--login", "local", "--workspace",
                        QString::fromStdString(clusterWs_.string()), "--astro", ASTRO_CLI_PATH,
                        "--partition", QString::fromStdString(cluster_.partition()),
                        "--sbatch=#SBATCH --begin=now+3600"});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    auto launched = astro({"run", QString::fromStdString(writeConfig("slurm-later", 1).string()),
                           "--on", "ci-later", "--no-follow"});
    QVERIFY2(launched.exitCode == 0, qPrintable(launched.err));
    std::int64_t localId = runIdOf(launched.out);
    std::string job = remoteRun(localId).slurmJobId;
    QCOMPARE(jobState(job), std::string("PENDING"));
    QElapsedTimer timer;
    timer.start();
    auto cancelled = astro({"cancel", QString::number(localId)}, 60000);
    QVERIFY2(cancelled.exitCode == 0, qPrintable(cancelled.err));
    QVERIFY2(timer.elapsed() < 20000, "cancelling a pending job must not wait for it to start");
    QCOMPARE(jobState(job), std::string("CANCELLED"));
    auto once = astro({"remote", "mirror", QString::number(localId), "--once"});
    QVERIFY2(once.exitCode == 0, qPrintable(once.err));
    QCOMPARE(status(localId), std::string("cancelled"));
  }

  void requeuedMidRun_resumesWithoutRedoingFinishedStages() {
    WorkerProcess follower(withWorkspace(
        localWs_, {"run", QString::fromStdString(writeConfig("slurm-requeue", 12).string()),
                   "--on", QString::fromStdString(profile_), "--format", "json"}));
    std::string line;
    QVERIFY2(follower.nextLine(&line, 120000), qPrintable(follower.errors()));
    std::int64_t localId = runIdOf(QString::fromStdString(line));
    std::string job = remoteRun(localId).slurmJobId;
    // Requeue once the SFT stage has a checkpoint.
    bool checkpointed = false;
    while (!checkpointed && follower.nextLine(&line, 300000)) {
      auto event = eventOf(line);
      checkpointed = event && event->kind == astro::store::EventKind::kMetric &&
                     event->payload.value("step", 0) >= 6;
    }
    QVERIFY2(checkpointed, qPrintable(follower.errors()));
    auto requeue = runProgram("scontrol", {"requeue", QString::fromStdString(job)});
    QVERIFY2(requeue.exitCode == 0, qPrintable(requeue.err));
    QCOMPARE(follower.finish(600000), 0);
    QVERIFY2(follower.errors().contains("PENDING"), qPrintable(follower.errors()));
    QCOMPARE(status(localId), std::string("finished"));
    QCOMPARE(jobState(job), std::string("COMPLETED"));
    requireMirrorEqual(localId);
    // Each stage started once from scratch; the SFT stage resumed once (resumed: true).
    int sftStarts = 0, sftResumes = 0, evaluateStarts = 0;
    auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
    for (const auto& event : ws.events().replay(localId)) {
      if (event.kind != astro::store::EventKind::kStageStarted) continue;
      std::string stage = event.payload.value("stage", "");
      if (stage == "sft") (event.payload.value("resumed", false) ? sftResumes : sftStarts)++;
      if (stage == "evaluate") ++evaluateStarts;
    }
    QCOMPARE(sftStarts, 1);
    QVERIFY(sftResumes >= 1);
    QCOMPARE(evaluateStarts, 1);
  }
};

QTEST_GUILESS_MAIN(RemoteRunSlurmTest)
#include "remote_run_slurm_test.moc"
