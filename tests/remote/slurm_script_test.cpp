// The batch script of a Slurm run: its exact #SBATCH lines, values that neither sbatch nor bash
// can carry refused, hostile values reaching the worker as literal arguments only, and the body's
// signal handling run by real bash against a stand-in worker and a stand-in `scontrol` that record
// what they receive (the whole thing under a real Slurm is slurm_cluster_test).
#include "core/remote/slurm_script.h"

#include <signal.h>

#include <QProcess>
#include <QtTest>
#include <fstream>

#include "core/base/error.h"
#include "tests/support/test_support.h"

using astro::remote::SlurmJobRequest;
using astro::remote::SlurmSettings;

namespace {

namespace fs = std::filesystem;

// Every kind of character a shell or sbatch treats specially, in one file-name-safe string.
const std::string kHostile = "d 'q' \"dq\" $(touch M1) `touch M2` ; touch M3 #x \\ &|<>*";

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeExecutable(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::trunc) << text;
  fs::permissions(file, fs::perms::owner_all);
}

QStringList lines(const std::string& text) {
  return QString::fromStdString(text).split('\n', Qt::SkipEmptyParts);
}

// The #SBATCH block: the script's lines up to the first blank one.
QStringList header(const std::string& script) {
  QStringList all = QString::fromStdString(script).split('\n');
  return all.mid(0, all.indexOf(QString()));
}

SlurmJobRequest tinyJob() {
  return {
      .jobName = "tiny", .astro = "/opt/astro/bin/astro", .workspace = "/shared/ws", .runId = 7};
}

// A stand-in worker: notes its arguments (NUL-separated) and each stop signal it receives, then
// waits for one and exits FAKE_STATUS; with FAKE_MODE=finish it exits at once.
const char* kFakeWorker = R"(#!/bin/bash
printf '%s\0' "$@" > "$FAKE_DIR/argv"
stop=0
trap 'echo TERM >> "$FAKE_DIR/signals"; stop=1' TERM
trap 'echo HUP >> "$FAKE_DIR/signals"; stop=1' HUP
trap 'echo INT >> "$FAKE_DIR/signals"; stop=1' INT
echo $$ > "$FAKE_DIR/pid.tmp" && mv "$FAKE_DIR/pid.tmp" "$FAKE_DIR/pid"
if [ "${FAKE_MODE:-}" = finish ]; then exit "${FAKE_STATUS:-0}"; fi
while [ "$stop" -eq 0 ]; do sleep 0.02; done
sleep 0.3  # a signal that follows the first is noted too
exit "${FAKE_STATUS:-1}"
)";

// Stand-in Slurm commands: each notes its arguments, one call per line.
const char* kFakeScontrol = R"(#!/bin/bash
printf '%s\n' "$*" >> "$FAKE_DIR/scontrol"
)";
const char* kFakeScancel = R"(#!/bin/bash
printf '%s\n' "$*" >> "$FAKE_DIR/scancel"
)";

// A generated script run by bash as Slurm would run it (SLURM_JOB_ID set, Slurm's commands on
// PATH), in folders whose names hold every hostile character.
class ScriptRun {
 public:
  explicit ScriptRun(const QString& name)
      : root_(astro::test::freshTempDir(name)),
        astro_(root_ / "-rf" / kHostile / "astro"),
        workspace_(root_ / ("ws " + kHostile)),
        fake_(root_ / "fake"),
        sandbox_(root_ / "cwd") {
    writeExecutable(astro_, kFakeWorker);
    writeExecutable(root_ / "fakebin" / "scontrol", kFakeScontrol);
    writeExecutable(root_ / "fakebin" / "scancel", kFakeScancel);
    fs::create_directories(fake_);
    fs::create_directories(sandbox_);
    fs::create_directories(workspace_ / "runs" / "7");
  }

  SlurmJobRequest job() const {
    return {.jobName = kHostile,
            .astro = astro_.string(),
            .workspace = workspace_.string(),
            .runId = 7,
            .outputFile = (root_ / ("out " + kHostile + " %j.txt")).string()};
  }

  // Starts bash on the script, waits until the worker runs.
  bool start(const std::string& script, const QString& mode = {}, int status = -1) {
    scriptFile_ = root_ / "job.sh";
    std::ofstream(scriptFile_, std::ios::trunc) << script;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("PATH", QString::fromStdString((root_ / "fakebin").string()) + ":" +
                                   environment.value("PATH"));
    environment.insert("FAKE_DIR", QString::fromStdString(fake_.string()));
    environment.insert("SLURM_JOB_ID", "4242");
    if (!mode.isEmpty()) environment.insert("FAKE_MODE", mode);
    if (status >= 0) environment.insert("FAKE_STATUS", QString::number(status));
    process_.setProcessEnvironment(environment);
    process_.setWorkingDirectory(QString::fromStdString(sandbox_.string()));
    process_.start("/bin/bash", {QString::fromStdString(scriptFile_.string())});
    if (!process_.waitForStarted(10000)) return false;
    for (int i = 0; i < 500 && !fs::exists(fake_ / "pid"); ++i) QTest::qWait(10);
    return fs::exists(fake_ / "pid");
  }

  void signalScript(int signalNumber) { ::kill(pid_t(process_.processId()), signalNumber); }
  void signalWorker(int signalNumber) {
    ::kill(pid_t(std::stol(readText(fake_ / "pid"))), signalNumber);
  }
  int finish() {
    if (!process_.waitForFinished(15000)) {
      process_.kill();
      process_.waitForFinished();
      return -1;
    }
    return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1;
  }
  QString errors() { return QString::fromUtf8(process_.readAllStandardError()); }

  std::vector<std::string> workerArguments() const {
    std::string text = readText(fake_ / "argv");
    std::vector<std::string> arguments;
    for (std::size_t start = 0, end; (end = text.find('\0', start)) != std::string::npos;
         start = end + 1) {
      arguments.push_back(text.substr(start, end - start));
    }
    return arguments;
  }
  QStringList workerSignals() const {
    QStringList received = lines(readText(fake_ / "signals"));
    received.sort();
    return received;
  }
  QStringList scontrolCalls() const { return lines(readText(fake_ / "scontrol")); }
  QStringList scancelCalls() const { return lines(readText(fake_ / "scancel")); }
  void markCancelled() const {
    std::ofstream(workspace_ / "runs" / "7" / "cancel-requested") << "cancel\n";
  }
  QStringList sandboxFiles() const {
    QStringList names;
    for (const auto& entry : fs::directory_iterator(sandbox_)) {
      names << QString::fromStdString(entry.path().filename().string());
    }
    return names;
  }
  const fs::path& workspace() const { return workspace_; }

 private:
  fs::path root_;
  fs::path astro_;
  fs::path workspace_;
  fs::path fake_;
  fs::path sandbox_;
  fs::path scriptFile_;
  QProcess process_;
};

}  // namespace

class SlurmScriptTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void sbatchLines_everySetting_inOrder() {
    SlurmSettings settings{.partition = "gpu",
                           .nodes = 2,
                           .gpusPerNode = 8,
                           .cpusPerTask = 16,
                           .memory = "64G",
                           .timeLimit = "1-12:00:00",
                           .account = "lab-7",
                           .qos = "high",
                           .extraSbatch = {"#SBATCH --exclusive", "#SBATCH --constraint=h100"}};
    SlurmJobRequest job = tinyJob();
    job.outputFile = "/shared/ws/slurm-%j.out";
    job.signalSeconds = 300;
    QCOMPARE(header(astro::remote::slurmBatchScript(settings, job)),
             QStringList({"#!/bin/bash", "#SBATCH --job-name=tiny", "#SBATCH --partition=gpu",
                          "#SBATCH --nodes=2", "#SBATCH --gres=gpu:8", "#SBATCH --cpus-per-task=16",
                          "#SBATCH --mem=64G", "#SBATCH --time=1-12:00:00",
                          "#SBATCH --account=lab-7", "#SBATCH --qos=high",
                          "#SBATCH --output=/shared/ws/slurm-%j.out", "#SBATCH --open-mode=append",
                          "#SBATCH --requeue", "#SBATCH --signal=B:USR1@300", "#SBATCH --exclusive",
                          "#SBATCH --constraint=h100"}));
  }

  void sbatchLines_defaults_leaveTheRestToTheCluster() {
    QCOMPARE(header(astro::remote::slurmBatchScript({}, tinyJob())),
             QStringList({"#!/bin/bash", "#SBATCH --job-name=tiny", "#SBATCH --nodes=1",
                          "#SBATCH --requeue", "#SBATCH --signal=B:USR1@120"}));
    SlurmJobRequest noSignal = tinyJob();
    noSignal.jobName.clear();
    noSignal.signalSeconds = 0;
    QCOMPARE(header(astro::remote::slurmBatchScript({}, noSignal)),
             QStringList({"#!/bin/bash", "#SBATCH --nodes=1", "#SBATCH --requeue"}));
  }

  void sbatchLines_hostileValues_stayOneQuotedValue() {
    // sbatch splits #SBATCH lines at blanks, groups "...", takes \ as an escape and an unquoted
    // '#' as a comment: each value is one double-quoted word (checked against real sbatch in
    // slurm_cluster_test).
    SlurmSettings settings{.partition = "gpu a100", .account = "-lab \"x\"", .qos = "q#1"};
    SlurmJobRequest job = tinyJob();
    job.jobName = "-x --output=/etc/passwd 'a' \"b\" $(c) \\d #e";
    job.outputFile = "/shared/my logs/%j.out";
    QStringList lines = header(astro::remote::slurmBatchScript(settings, job));
    QCOMPARE(
        lines.mid(1, 4),
        QStringList({"#SBATCH --job-name=\"-x --output=/etc/passwd 'a' \\\"b\\\" $(c) \\\\d #e\"",
                     "#SBATCH --partition=\"gpu a100\"", "#SBATCH --nodes=1",
                     "#SBATCH --account=\"-lab \\\"x\\\"\""}));
    QCOMPARE(lines.at(5), QString("#SBATCH --qos=\"q#1\""));
    QCOMPARE(lines.at(6), QString("#SBATCH --output=\"/shared/my logs/%j.out\""));
  }

  void script_hostileValues_parseAndReachTheWorkerAsLiteralArguments() {
    ScriptRun run("slurm-script-hostile");
    std::string script = astro::remote::slurmBatchScript({}, run.job());
    auto syntax =
        astro::test::runProgram("/bin/bash", {"-n"}, 10000, QByteArray::fromStdString(script));
    QVERIFY2(syntax.exitCode == 0, qPrintable(syntax.err));
    QVERIFY(run.start(script, "finish", 0));
    QCOMPARE(run.finish(), 0);
    QCOMPARE(run.workerArguments(),
             (std::vector<std::string>{"resume", "7", "--workspace", run.workspace().string(),
                                       "--format", "json", "--no-progress"}));
    QCOMPARE(run.sandboxFiles(), QStringList());  // no M1, M2, M3: nothing ran
    QCOMPARE(run.scontrolCalls(), QStringList());
    QCOMPARE(run.scancelCalls(), QStringList());
  }

  void script_oneNodeWithSeveralGpus_startsOneRankPerGpu() {
    ScriptRun run("slurm-script-ranks");
    std::string script = astro::remote::slurmBatchScript({.nodes = 1, .gpusPerNode = 4}, run.job());
    QVERIFY(run.start(script, "finish", 0));
    QCOMPARE(run.finish(), 0);
    QCOMPARE(run.workerArguments(),
             (std::vector<std::string>{"resume", "7", "--workspace", run.workspace().string(),
                                       "--format", "json", "--no-progress", "--nproc", "4"}));
  }

  void script_valueItCannotCarry_isRefused_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    for (const char* field : {"partition", "account", "qos", "jobName", "astro", "workspace",
                              "outputFile", "extraSbatch"}) {
      QTest::newRow(qPrintable(QString(field) + " newline"))
          << field << "#SBATCH /x\n#SBATCH --wrap=reboot";
      QTest::newRow(qPrintable(QString(field) + " carriage return")) << field << "/x\r";
      QTest::newRow(qPrintable(QString(field) + " escape")) << field << "/x\x1b[2J";
    }
    QTest::newRow("extra line without #SBATCH") << "extraSbatch"
                                                << "--exclusive";
    QTest::newRow("extra shell line") << "extraSbatch"
                                      << "reboot";
    QTest::newRow("relative workspace") << "workspace"
                                        << "ws";
    QTest::newRow("astro as an option") << "astro"
                                        << "-c";
    QTest::newRow("memory with a command") << "memory"
                                           << "64G; reboot";
    QTest::newRow("memory with an option") << "memory"
                                           << "64G --wrap=x";
    QTest::newRow("time with an option") << "timeLimit"
                                         << "1:00 --wrap=x";
    QTest::newRow("time as words") << "timeLimit"
                                   << "one day";
  }
  void script_valueItCannotCarry_isRefused() {
    QFETCH(QString, field);
    QFETCH(QString, value);
    SlurmSettings settings;
    SlurmJobRequest job = tinyJob();
    std::string text = value.toStdString();
    if (field == "partition") settings.partition = text;
    if (field == "account") settings.account = text;
    if (field == "qos") settings.qos = text;
    if (field == "memory") settings.memory = text;
    if (field == "timeLimit") settings.timeLimit = text;
    if (field == "extraSbatch") settings.extraSbatch = {text};
    if (field == "jobName") job.jobName = text;
    if (field == "astro") job.astro = text;
    if (field == "workspace") job.workspace = text;
    if (field == "outputFile") job.outputFile = text;
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::remote::slurmBatchScript(settings, job));
  }

  void script_newlineInPartition_saysWhatAndWhere() {
    try {
      astro::remote::slurmBatchScript({.partition = "gpu\n#SBATCH --wrap=reboot"}, tinyJob());
      QFAIL("no error");
    } catch (const astro::UsageError& error) {
      QCOMPARE(QString(error.what()),
               QString("slurm job: partition 'gpu\\n#SBATCH --wrap=reboot' holds a newline or "
                       "another control character, which a batch script cannot carry"));
    }
  }

  void script_numbersOutOfRange_areRefused() {
    SlurmJobRequest job = tinyJob();
    for (int seconds : {-1, 65536}) {
      job.signalSeconds = seconds;
      QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::remote::slurmBatchScript({}, job));
    }
    job = tinyJob();
    job.runId = 0;
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::remote::slurmBatchScript({}, job));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError,
                             astro::remote::slurmBatchScript({.nodes = 0}, tinyJob()));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError,
                             astro::remote::slurmBatchScript({.gpusPerNode = -1}, tinyJob()));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError,
                             astro::remote::slurmBatchScript({.cpusPerTask = -2}, tinyJob()));
  }

  void script_workerEnds_jobEndsWithItsStatus() {
    for (int status : {0, 3}) {
      ScriptRun run("slurm-script-status");
      QVERIFY(run.start(astro::remote::slurmBatchScript({}, run.job()), "finish", status));
      QCOMPARE(run.finish(), status);
      QCOMPARE(run.workerSignals(), QStringList());
      QCOMPARE(run.scontrolCalls(), QStringList());
      QCOMPARE(run.scancelCalls(), QStringList());
    }
  }

  void script_termToTheShellOnly_stopsTheWorkerOnce() {
    // scancel --batch --signal=TERM: only the batch shell gets it.
    ScriptRun run("slurm-script-term-batch");
    QVERIFY(run.start(astro::remote::slurmBatchScript({}, run.job())));
    run.signalScript(SIGTERM);
    QCOMPARE(run.finish(), 1);
    QCOMPARE(run.workerSignals(), QStringList({"HUP"}));
    QCOMPARE(run.scontrolCalls(), QStringList());
    QCOMPARE(run.scancelCalls(), QStringList());
  }

  void script_termToEveryProcess_neverSendsTheWorkerASecondTerm() {
    // scancel, scontrol requeue and the time limit signal the worker and the shell alike; a
    // second SIGTERM would kill the worker before its checkpoint.
    ScriptRun run("slurm-script-term-all");
    QVERIFY(run.start(astro::remote::slurmBatchScript({}, run.job())));
    run.signalWorker(SIGTERM);
    run.signalScript(SIGTERM);
    QCOMPARE(run.finish(), 1);
    QCOMPARE(run.workerSignals(), QStringList({"HUP", "TERM"}));
    QCOMPARE(run.scontrolCalls(), QStringList());
    QCOMPARE(run.scancelCalls(), QStringList());
  }

  void script_timeLimitNear_checkpointsAndRequeuesTheJob() {
    // --signal=B:USR1@N: the shell alone gets USR1 N seconds before the limit.
    ScriptRun run("slurm-script-usr1");
    QVERIFY(run.start(astro::remote::slurmBatchScript({}, run.job())));
    run.signalScript(SIGUSR1);
    QCOMPARE(run.finish(), 1);
    QCOMPARE(run.workerSignals(), QStringList({"HUP"}));
    QCOMPARE(run.scontrolCalls(), QStringList({"requeue 4242"}));
    QCOMPARE(run.scancelCalls(), QStringList());
  }

  void script_cancelledRun_endsTheJobAsCancelled() {
    // A cancel of a Slurm run: the run's cancel mark, then SIGTERM to the batch shell (scancel
    // --batch); the worker checkpoints and exits 1, and the job scancels itself so that Slurm
    // shows CANCELLED, not FAILED.
    ScriptRun run("slurm-script-cancel");
    run.markCancelled();
    QVERIFY(run.start(astro::remote::slurmBatchScript({}, run.job())));
    run.signalScript(SIGTERM);
    QCOMPARE(run.finish(), 1);
    QCOMPARE(run.workerSignals(), QStringList({"HUP"}));
    QCOMPARE(run.scancelCalls(), QStringList({"4242"}));
    QCOMPARE(run.scontrolCalls(), QStringList());
  }

  void script_timeLimitNearAfterCancel_doesNotRequeue() {
    ScriptRun run("slurm-script-usr1-cancelled");
    run.markCancelled();
    QVERIFY(run.start(astro::remote::slurmBatchScript({}, run.job())));
    run.signalScript(SIGUSR1);
    QCOMPARE(run.finish(), 1);
    QCOMPARE(run.workerSignals(), QStringList({"HUP"}));
    QCOMPARE(run.scontrolCalls(), QStringList());
    QCOMPARE(run.scancelCalls(), QStringList({"4242"}));
  }

  void script_timeLimitNearAsTheRunFinishes_doesNotRequeue() {
    ScriptRun run("slurm-script-usr1-finished");
    QVERIFY(run.start(astro::remote::slurmBatchScript({}, run.job()), {}, 0));
    run.signalScript(SIGUSR1);
    QCOMPARE(run.finish(), 0);
    QCOMPARE(run.scontrolCalls(), QStringList());
    QCOMPARE(run.scancelCalls(), QStringList());
  }

  void script_repeatedSignals_forwardOnlyOnce() {
    ScriptRun run("slurm-script-repeated");
    QVERIFY(run.start(astro::remote::slurmBatchScript({}, run.job())));
    run.signalScript(SIGUSR1);
    QTest::qWait(50);
    run.signalScript(SIGTERM);
    run.signalScript(SIGTERM);
    QCOMPARE(run.finish(), 1);
    QCOMPARE(run.workerSignals(), QStringList({"HUP"}));
    QCOMPARE(run.scontrolCalls(), QStringList({"requeue 4242"}));
    QCOMPARE(run.scancelCalls(), QStringList());
  }
};

QTEST_GUILESS_MAIN(SlurmScriptTest)
#include "slurm_script_test.moc"
