// A real pipeline run as a real Slurm job: a single-node cluster (support/slurm_cluster.h) runs the
// batch script of slurmBatchScript, which runs the built `astro`. One job runs to COMPLETED; one is
// cancelled mid-run and keeps its checkpoint; one is requeued mid-run (scontrol requeue) and one
// gets the time limit's USR1 mid-run (the script requeues its own job): both resume from their
// checkpoint without redoing a finished stage. querySlurmJob follows each job through the real
// squeue / scontrol / sacct.
#include "tests/remote/support/slurm_cluster.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <chrono>
#include <fstream>
#include <thread>

#include "core/remote/remote_shell.h"
#include "core/remote/slurm_script.h"
#include "core/remote/slurm_state.h"
#include "core/store/workspace.h"
#include "tests/support/test_support.h"

using astro::remote::SlurmJobState;
using astro::remote::SlurmJobStatus;
using astro::store::RunStatus;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Two stages: a tiny base model, then SFT on a fixture with a checkpoint after every step, so a
// stop mid-SFT always has a checkpoint to keep and a finished stage not to redo.
constexpr int kSftSteps = 60;   // 8 examples, 2 per step, 15 epochs: about 10 s
constexpr int kStopAtStep = 3;  // cancel / requeue once SFT has checkpointed this step
constexpr auto kJobLimit = 150s;

std::string configText() {
  return R"([run]
name = "slurm tiny"
seed = 3
threads = 1

[pretrain-base]
model_config = "tiny"
train_problems = 16
test_problems = 2
epochs = 1
sequences_per_step = 16
warmup_steps = 1
evaluation_samples = 1
max_new_tokens = 16
numbers = 3
max_target = 30

[sft]
data = ")" ASTRO_SOURCE_DIR R"(/tests/pipeline/data/world_direct_sft.jsonl"
learning_rate = 1e-3
sequences_per_step = 2
epochs = 15
max_length = 512
checkpoint_every = 1
)";
}

QString q(const fs::path& path) { return QString::fromStdString(path.string()); }

// The job's name as Slurm stored it: scontrol prints "JobName=<name> UserId=...".
QString storedJobName(const std::string& scontrolOutput) {
  QString text = QString::fromStdString(scontrolOutput);
  qsizetype start = text.indexOf("JobName=") + 8;
  return text.mid(start, text.lastIndexOf(" UserId=") - start);
}

struct JobEvents {
  QList<QJsonObject> all;
  QList<QJsonObject> ofKind(const QString& kind) const {
    QList<QJsonObject> found;
    for (const QJsonObject& event : all) {
      if (event["kind"].toString() == kind) found << event;
    }
    return found;
  }
};

}  // namespace

class SlurmClusterTest : public QObject {
  Q_OBJECT

 private:
  astro::test::SlurmCluster cluster_;
  std::unique_ptr<astro::remote::RemoteShell> shell_;
  fs::path root_;
  fs::path workspace_;
  fs::path config_;

  // `astro run CONFIG --create-only`: the run exists in the workspace, nothing has run yet.
  std::int64_t createRun(const std::string& name) {
    auto created = astro::test::runProgram(
        ASTRO_CLI_PATH, {"run", q(config_), "--create-only", "--name", QString::fromStdString(name),
                         "--workspace", q(workspace_)});
    if (created.exitCode != 0 || !created.out.startsWith("run ")) {
      qWarning("astro run --create-only: exit %d: %s%s", created.exitCode, qPrintable(created.out),
               qPrintable(created.err));
      return 0;
    }
    return created.out.split('\n').front().mid(4).toLongLong();
  }

  std::string submit(std::int64_t runId, const std::string& jobName) {
    astro::remote::SlurmSettings settings{.partition = cluster_.partition(), .cpusPerTask = 1};
    astro::remote::SlurmJobRequest job{
        .jobName = jobName,
        .astro = ASTRO_CLI_PATH,
        .workspace = workspace_.string(),
        .runId = runId,
        .outputFile = (root_ / ("slurm-%j run " + std::to_string(runId) + ".out")).string()};
    fs::path script = root_ / ("job " + std::to_string(runId) + ".sh");
    std::ofstream(script, std::ios::trunc) << astro::remote::slurmBatchScript(settings, job);
    auto submitted = shell_->run(astro::remote::sbatchArgv(script.string()));
    if (!submitted.ok()) {
      qWarning("sbatch: %s\n%s", submitted.err.c_str(), qPrintable(cluster_.logs()));
      return {};
    }
    return astro::remote::parseSbatchJobId(submitted.out);
  }

  // Follows the job with querySlurmJob until it finished; the states seen, in order, in `seen`.
  SlurmJobStatus follow(const std::string& jobId, QStringList* seen) {
    const auto deadline = std::chrono::steady_clock::now() + kJobLimit;
    SlurmJobStatus status;
    while (std::chrono::steady_clock::now() < deadline) {
      status = astro::remote::querySlurmJob(*shell_, jobId);
      QString state = QString::fromStdString(slurmJobStateName(status.state));
      if (seen->isEmpty() || seen->back() != state) *seen << state;
      if (status.finished()) {
        qInfo("job %s: %s, %d restart(s)", jobId.c_str(), qPrintable(seen->join(" -> ")),
              status.restarts);
        return status;
      }
      std::this_thread::sleep_for(300ms);
    }
    return status;
  }

  // Waits until the run's SFT stage has checkpointed step `step` (its metric event follows the
  // checkpoint); false past the limit.
  bool waitForSftStep(std::int64_t runId, int step) {
    const auto deadline = std::chrono::steady_clock::now() + kJobLimit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (fs::exists(workspace_ / "workspace.sqlite")) {
        auto workspace = astro::store::Workspace::open(workspace_, {.readOnly = true});
        for (const auto& event : workspace.events().replay(runId)) {
          if (event.kind == astro::store::EventKind::kMetric &&
              event.payload.value("stage", "") == "sft" && event.payload.value("step", 0) >= step) {
            return true;
          }
        }
      }
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }

  RunStatus runStatus(std::int64_t runId) {
    return astro::store::Workspace::open(workspace_, {.readOnly = true}).runs().get(runId).status;
  }

  JobEvents events(std::int64_t runId) {
    auto replay = astro::test::runProgram(
        ASTRO_CLI_PATH, {"events", QString::number(runId), "--workspace", q(workspace_)});
    JobEvents events;
    for (const QString& line : replay.out.split('\n', Qt::SkipEmptyParts)) {
      events.all << QJsonDocument::fromJson(line.toUtf8()).object();
    }
    return events;
  }

  // What a failed check shows: the states the job went through, the end of its output file (the
  // worker's events and errors) and of the daemons' logs.
  QString failure(const std::string& jobId, std::int64_t runId, const QStringList& seen) {
    return "job states: " + seen.join(" -> ") + "\n" + jobOutput(jobId, runId) + "\n" +
           cluster_.logs(10);
  }

  QString jobOutput(const std::string& jobId, std::int64_t runId) {
    std::ifstream in(root_ / ("slurm-" + jobId + " run " + std::to_string(runId) + ".out"));
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return QString::fromStdString(text.size() > 3000 ? text.substr(text.size() - 3000) : text);
  }

  // Submits a run, sends `interrupt` (a command; the job id is appended) once SFT has
  // checkpointed kStopAtStep, and checks that the job ran again and the run finished without
  // redoing a stage.
  void checkRequeuedRunResumes(const std::string& name, std::vector<std::string> interrupt) {
    std::int64_t runId = createRun(name);
    QVERIFY(runId > 0);
    std::string jobId = submit(runId, name);
    QVERIFY(!jobId.empty());
    QVERIFY2(waitForSftStep(runId, kStopAtStep), qPrintable(jobOutput(jobId, runId)));

    interrupt.push_back(jobId);
    auto interrupted = shell_->run(interrupt);
    QVERIFY2(interrupted.ok(), interrupted.err.c_str());
    QStringList seen;
    SlurmJobStatus status = follow(jobId, &seen);
    QVERIFY2(status.state == SlurmJobState::kCompleted, qPrintable(failure(jobId, runId, seen)));
    QCOMPARE(status.restarts, 1);
    QCOMPARE(runStatus(runId), RunStatus::kFinished);

    // pretrain-base ran once; SFT started twice, the second time resumed from its checkpoint
    // (its first step after the resume is past step 1); each stage finished once.
    JobEvents log = events(runId);
    QList<QJsonObject> started = log.ofKind("stage_started");
    QStringList order;
    for (const QJsonObject& event : started) {
      QJsonObject payload = event["payload"].toObject();
      order << payload["stage"].toString() + (payload["resumed"].toBool() ? " resumed" : "");
    }
    QCOMPARE(order, QStringList({"pretrain-base", "sft", "sft resumed"}));
    QStringList finished;
    for (const QJsonObject& event : log.ofKind("stage_finished")) {
      finished << event["payload"].toObject()["stage"].toString();
    }
    QCOMPARE(finished, QStringList({"pretrain-base", "sft"}));
    qint64 resumedAt = started.back()["seq"].toInteger();
    int firstStepAfterResume = 0;
    for (const QJsonObject& event : log.ofKind("metric")) {
      QJsonObject payload = event["payload"].toObject();
      if (event["seq"].toInteger() > resumedAt && payload["stage"].toString() == "sft") {
        firstStepAfterResume = payload["step"].toInt();
        break;
      }
    }
    QVERIFY2(firstStepAfterResume > 1, qPrintable(QString::number(firstStepAfterResume)));
    QVERIFY2(firstStepAfterResume <= kSftSteps, qPrintable(QString::number(firstStepAfterResume)));
  }
 private Q_SLOTS:
  void initTestCase() {
    QString whyNot;
    if (!cluster_.available(&whyNot)) QSKIP(qPrintable(whyNot));
    cluster_.exportEnvironment();
    shell_ = astro::remote::makeLocalShell();
    root_ = astro::test::freshTempDir("slurm-cluster-runs");
    // Every value the script carries holds characters a shell or sbatch treats specially.
    workspace_ = root_ / "work space 'q' $(touch M1) `touch M2`";
    config_ = root_ / "tiny.toml";
    std::ofstream(config_) << configText();
  }

  void job_runsThePipelineToCompleted() {
    const std::string name = "tiny \"run\"; $(touch M3) `touch M4` #1 -x";
    std::int64_t runId = createRun(name);
    QVERIFY(runId > 0);
    std::string jobId = submit(runId, name);
    QVERIFY(!jobId.empty());
    auto shown = shell_->run({"scontrol", "show", "job", "-o", jobId});
    QCOMPARE(storedJobName(shown.out), QString::fromStdString(name));

    QStringList seen;
    SlurmJobStatus status = follow(jobId, &seen);
    QVERIFY2(status.state == SlurmJobState::kCompleted, qPrintable(failure(jobId, runId, seen)));
    QCOMPARE(status.restarts, 0);
    QVERIFY2(seen.contains("RUNNING"), qPrintable(seen.join(" -> ")));
    QCOMPARE(runStatus(runId), RunStatus::kFinished);
    auto workspace = astro::store::Workspace::open(workspace_, {.readOnly = true});
    for (const auto& stage : workspace.stages().list(runId)) {
      QCOMPARE(stage.status, astro::store::StageStatus::kFinished);
    }
    for (const char* marker : {"M1", "M2", "M3", "M4"}) {  // nothing a value held ever ran
      QVERIFY(!fs::exists(fs::current_path() / marker) && !fs::exists(root_ / marker));
    }
  }

  void job_cancelledMidRun_keepsItsCheckpoint() {
    std::int64_t runId = createRun("cancelled");
    QVERIFY(runId > 0);
    std::string jobId = submit(runId, "cancelled");
    QVERIFY(!jobId.empty());
    QVERIFY2(waitForSftStep(runId, kStopAtStep), qPrintable(jobOutput(jobId, runId)));

    // A cancel of a Slurm run (remote_launch.cpp): the run's cancel mark, then SIGTERM to the
    // batch shell only, which passes it on to the worker; the worker checkpoints and exits, and
    // the job script, seeing the mark, ends the job as CANCELLED.
    std::ofstream(workspace_ / "runs" / std::to_string(runId) / "cancel-requested") << "cancel\n";
    auto cancelled = shell_->run({"scancel", "--batch", "--signal=TERM", jobId});
    QVERIFY2(cancelled.ok(), cancelled.err.c_str());
    QStringList seen;
    SlurmJobStatus status = follow(jobId, &seen);
    QVERIFY2(status.state == SlurmJobState::kCancelled, qPrintable(failure(jobId, runId, seen)));
    QCOMPARE(runStatus(runId), RunStatus::kCancelled);
    // The worker stopped itself (it logged it) rather than being killed, and SFT's checkpoint is
    // recorded and on disk.
    JobEvents log = events(runId);
    QVERIFY(!log.ofKind("log").isEmpty());
    QCOMPARE(log.ofKind("log").back()["payload"].toObject()["status"].toString(),
             QString("cancelled"));
    auto workspace = astro::store::Workspace::open(workspace_, {.readOnly = true});
    auto stages = workspace.stages().list(runId);
    QCOMPARE(stages.size(), std::size_t(2));
    QCOMPARE(stages[0].status, astro::store::StageStatus::kFinished);
    QVERIFY(stages[1].status != astro::store::StageStatus::kFinished);
    QVERIFY2(!stages[1].checkpoint.empty(), "no checkpoint recorded for the SFT stage");
    QVERIFY2(fs::exists(workspace_ / stages[1].checkpoint), stages[1].checkpoint.c_str());
  }

  void job_requeuedMidRun_resumesWithoutRedoingAStage() {
    // `scontrol requeue` (as an administrator or a preemption does) sends SIGTERM to the job's
    // processes; the worker checkpoints; Slurm starts the job again after AuthInfo's
    // cred_expire (5 s here).
    checkRequeuedRunResumes("requeued", {"scontrol", "requeue"});
  }

  void job_timeLimitNear_requeuesItselfAndResumes() {
    // What --signal=B:USR1@N does N seconds before the time limit, sent now: USR1 to the batch
    // shell only. The script stops the worker, which checkpoints, and requeues its own job.
    checkRequeuedRunResumes("time limit", {"scancel", "--batch", "--signal=USR1"});
  }
};

QTEST_GUILESS_MAIN(SlurmClusterTest)
#include "slurm_cluster_test.moc"
