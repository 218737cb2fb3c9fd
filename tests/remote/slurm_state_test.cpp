// Slurm job states parsed from the recorded outputs of the real commands (data/slurm, README.txt
// says how each was made), and querySlurmJob's order squeue -> scontrol -> sacct -> sacct -c,
// replayed from the same recordings.
#include "core/remote/slurm_state.h"

#include <QtTest>
#include <fstream>
#include <map>

#include "core/base/error.h"
#include "core/remote/remote_shell.h"
#include "core/remote/shell_quote.h"

using astro::remote::SlurmJobState;
using astro::remote::SlurmJobStatus;

Q_DECLARE_METATYPE(SlurmJobState)

namespace {

const std::filesystem::path kData = ASTRO_SOURCE_DIR "/tests/remote/data/slurm";

std::string recorded(const std::string& name) {
  std::ifstream in(kData / name, std::ios::binary);
  if (!in) throw std::runtime_error("no recording " + (kData / name).string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A recording as a command's result: NAME.txt as stdout, NAME.stderr.txt as stderr.
astro::remote::ProcessResult recordedResult(const std::string& name, int exitCode) {
  astro::remote::ProcessResult result{.exitCode = exitCode, .out = recorded(name + ".txt")};
  if (std::filesystem::exists(kData / (name + ".stderr.txt"))) {
    result.err = recorded(name + ".stderr.txt");
  }
  return result;
}

// Answers each command with the recording of what the real one printed in the situation a test
// sets up, and notes the commands in the order they were asked.
class ReplayShell : public astro::remote::RemoteShell {
 public:
  std::map<std::string, astro::remote::ProcessResult> answers;  // by command line
  std::vector<std::string> asked;

  std::string where() const override { return "recorded outputs"; }
  astro::remote::ProcessResult run(const std::vector<std::string>& argv,
                                   const astro::remote::ProcessOptions&) override {
    std::string line = astro::remote::shellCommandLine(argv);
    asked.push_back(line);
    auto answer = answers.find(line);
    if (answer == answers.end()) throw std::runtime_error("no recording for " + line);
    return answer->second;
  }
  std::unique_ptr<astro::remote::ProcessStream> stream(const std::vector<std::string>&) override {
    throw std::logic_error("not replayed");
  }
  std::vector<std::string> commandFor(const std::vector<std::string>& argv) const override {
    return argv;
  }
};

std::string squeueLine(const std::string& id) { return "squeue -h -j " + id + " -o '%i|%T|%r'"; }
std::string scontrolLine(const std::string& id) { return "scontrol show job -o " + id; }
std::string sacctLine(const std::string& id) {
  return "sacct -n -P -X -j " + id + " -o JobID,State,Reason";
}
std::string sacctCompletionsLine(const std::string& id) {
  return "sacct -c -n -P -X -j " + id + " -o JobID,State,Reason";
}

#define COMPARE_STATUS(actual, id, expectedState, expectedReason, expectedRestarts) \
  do {                                                                              \
    QCOMPARE(QString::fromStdString((actual).jobId), QString(id));                  \
    QCOMPARE(QString::fromStdString(slurmJobStateName((actual).state)),             \
             QString::fromStdString(slurmJobStateName(expectedState)));             \
    QCOMPARE(QString::fromStdString((actual).reason), QString(expectedReason));     \
    QCOMPARE((actual).restarts, expectedRestarts);                                  \
  } while (false)

}  // namespace

class SlurmStateTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void parseSbatchJobId_recordedOutput_isTheJobId() {
    QCOMPARE(astro::remote::parseSbatchJobId(recorded("sbatch_parsable.txt")), std::string("1"));
    // With -M (several clusters) sbatch --parsable adds the cluster's name.
    QCOMPARE(astro::remote::parseSbatchJobId("1234;astro-test\n"), std::string("1234"));
  }

  void parseSbatchJobId_anythingElse_throws() {
    for (const std::string& output :
         {recorded("sbatch_bad_partition.txt"), std::string("Submitted batch job 12\n"),
          std::string("12\n13\n"), std::string("-1"), std::string("12 ; rm -rf /")}) {
      QVERIFY_THROWS_EXCEPTION(astro::Error, astro::remote::parseSbatchJobId(output));
    }
  }

  void parseSqueue_recordedStates_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("jobId");
    QTest::addColumn<SlurmJobState>("state");
    QTest::addColumn<QString>("reason");
    QTest::newRow("running") << "squeue_running.txt"
                             << "2" << SlurmJobState::kRunning << "None";
    QTest::newRow("pending") << "squeue_pending.txt"
                             << "3" << SlurmJobState::kPending << "Resources";
    QTest::newRow("requeued") << "squeue_requeued.txt"
                              << "6" << SlurmJobState::kPending << "BeginTime";
    QTest::newRow("requeue completing") << "squeue_requeue_completing.txt"
                                        << "10" << SlurmJobState::kCompleting << "None";
    QTest::newRow("hostile name") << "squeue_hostile_name.txt"
                                  << "10" << SlurmJobState::kRunning << "None";
  }
  void parseSqueue_recordedStates() {
    QFETCH(QString, file);
    QFETCH(QString, jobId);
    QFETCH(SlurmJobState, state);
    QFETCH(QString, reason);
    auto status = astro::remote::parseSqueue(recorded(file.toStdString()), jobId.toStdString());
    QVERIFY(status.has_value());
    COMPARE_STATUS(*status, jobId, state, reason, 0);
  }

  void parseSqueue_jobNotListed_isNothing() {
    // squeue lists no finished job (only scontrol and sacct know those), nor another job's id.
    QVERIFY(!astro::remote::parseSqueue(recorded("squeue_completed.txt"), "4"));
    QVERIFY(!astro::remote::parseSqueue(recorded("squeue_unknown.txt"), "9999"));
    QVERIFY(!astro::remote::parseSqueue(recorded("squeue_running.txt"), "22"));
  }

  void parseSqueue_malformedLine_throws() {
    QVERIFY_THROWS_EXCEPTION(astro::Error, astro::remote::parseSqueue("2 RUNNING None\n", "2"));
    QVERIFY_THROWS_EXCEPTION(astro::Error, astro::remote::parseSqueue("2|RUNNING\n", "2"));
  }

  void parseScontrolShowJob_recordedStates_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("jobId");
    QTest::addColumn<SlurmJobState>("state");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("restarts");
    QTest::newRow("running") << "scontrol_running.txt"
                             << "2" << SlurmJobState::kRunning << "None" << 0;
    QTest::newRow("pending") << "scontrol_pending.txt"
                             << "3" << SlurmJobState::kPending << "Resources" << 0;
    QTest::newRow("completed") << "scontrol_completed.txt"
                               << "4" << SlurmJobState::kCompleted << "None" << 0;
    QTest::newRow("failed") << "scontrol_failed.txt"
                            << "5" << SlurmJobState::kFailed << "NonZeroExitCode" << 0;
    QTest::newRow("cancelled") << "scontrol_cancelled.txt"
                               << "2" << SlurmJobState::kCancelled << "None" << 0;
    QTest::newRow("cancelled pending") << "scontrol_cancelled_pending.txt"
                                       << "3" << SlurmJobState::kCancelled << "Resources" << 0;
    QTest::newRow("timeout") << "scontrol_timeout.txt"
                             << "1" << SlurmJobState::kTimeout << "TimeLimit" << 0;
    QTest::newRow("requeued") << "scontrol_requeued.txt"
                              << "6" << SlurmJobState::kPending << "BeginTime" << 1;
    QTest::newRow("requeue completing") << "scontrol_requeue_completing.txt"
                                        << "10" << SlurmJobState::kPending << "BeginTime" << 1;
    QTest::newRow("requeued, then completed") << "scontrol_requeued_completed.txt"
                                              << "6" << SlurmJobState::kCompleted << "None" << 1;
  }
  void parseScontrolShowJob_recordedStates() {
    QFETCH(QString, file);
    QFETCH(QString, jobId);
    QFETCH(SlurmJobState, state);
    QFETCH(QString, reason);
    QFETCH(int, restarts);
    auto status = astro::remote::parseScontrolShowJob(recorded(file.toStdString()));
    QVERIFY(status.has_value());
    COMPARE_STATUS(*status, jobId, state, reason, restarts);
  }

  void parseScontrolShowJob_hostileJobName_readsTheJobsOwnFields() {
    // The name holds "JobState=COMPLETED Restarts=9"; the job itself runs and never restarted.
    auto status = astro::remote::parseScontrolShowJob(recorded("scontrol_hostile_name.txt"));
    QVERIFY(status.has_value());
    COMPARE_STATUS(*status, "10", SlurmJobState::kRunning, "None", 0);
  }

  void parseScontrolShowJob_noJob_isNothingAndGarbageThrows() {
    QVERIFY(!astro::remote::parseScontrolShowJob(recorded("scontrol_unknown.txt")));
    QVERIFY_THROWS_EXCEPTION(astro::Error,
                             astro::remote::parseScontrolShowJob("No jobs in the system\n"));
    QVERIFY_THROWS_EXCEPTION(
        astro::Error, astro::remote::parseScontrolShowJob("JobId=7 JobName=x Reason=None\n"));
  }

  void parseSacct_recordedStates_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("jobId");
    QTest::addColumn<SlurmJobState>("state");
    QTest::addColumn<int>("restarts");
    QTest::newRow("completed") << "sacct_c_completed.txt"
                               << "4" << SlurmJobState::kCompleted << 0;
    QTest::newRow("failed") << "sacct_c_failed.txt"
                            << "5" << SlurmJobState::kFailed << 0;
    QTest::newRow("cancelled") << "sacct_c_cancelled.txt"
                               << "2" << SlurmJobState::kCancelled << 0;
    QTest::newRow("timeout") << "sacct_c_timeout.txt"
                             << "1" << SlurmJobState::kTimeout << 0;
    QTest::newRow("requeued") << "sacct_c_requeued.txt"
                              << "6" << SlurmJobState::kPending << 0;
    QTest::newRow("requeued, then completed") << "sacct_c_requeued_completed.txt"
                                              << "6" << SlurmJobState::kCompleted << 1;
  }
  void parseSacct_recordedStates() {
    QFETCH(QString, file);
    QFETCH(QString, jobId);
    QFETCH(SlurmJobState, state);
    QFETCH(int, restarts);
    auto status = astro::remote::parseSacct(recorded(file.toStdString()), jobId.toStdString());
    QVERIFY(status.has_value());
    // The job-completion file has no reasons.
    COMPARE_STATUS(*status, jobId, state, "", restarts);
  }

  void parseSacct_jobNotListed_isNothing() {
    // A running job is not in the job-completion file yet.
    QVERIFY(!astro::remote::parseSacct(recorded("sacct_c_running.txt"), "2"));
    QVERIFY(!astro::remote::parseSacct(recorded("sacct_c_unknown.txt"), "9999"));
    QVERIFY(!astro::remote::parseSacct(recorded("sacct_c_completed.txt"), "44"));
    QVERIFY_THROWS_EXCEPTION(astro::Error, astro::remote::parseSacct("4 COMPLETED\n", "4"));
  }

  void parseSlurmJobState_longNamesShortCodesAndSacctForms() {
    using astro::remote::parseSlurmJobState;
    QCOMPARE(parseSlurmJobState("CANCELLED by 0"), SlurmJobState::kCancelled);
    QCOMPARE(parseSlurmJobState("CANCELLED+"), SlurmJobState::kCancelled);
    QCOMPARE(parseSlurmJobState(" RUNNING\n"), SlurmJobState::kRunning);
    QCOMPARE(parseSlurmJobState("CD"), SlurmJobState::kCompleted);
    QCOMPARE(parseSlurmJobState("PD"), SlurmJobState::kPending);
    QCOMPARE(parseSlurmJobState("OUT_OF_MEMORY"), SlurmJobState::kOutOfMemory);
    QCOMPARE(parseSlurmJobState("NODE_FAIL"), SlurmJobState::kNodeFail);
    QCOMPARE(parseSlurmJobState("REQUEUE_HOLD"), SlurmJobState::kRequeued);
    QCOMPARE(parseSlurmJobState("CONFIGURING"), SlurmJobState::kPending);
    QCOMPARE(parseSlurmJobState(""), SlurmJobState::kUnknown);
    QCOMPARE(parseSlurmJobState("running"), SlurmJobState::kUnknown);
    QCOMPARE(parseSlurmJobState("BOGUS"), SlurmJobState::kUnknown);
  }

  void slurmJobStateName_everyState_roundTrips() {
    const std::vector<std::pair<SlurmJobState, std::string>> names = {
        {SlurmJobState::kPending, "PENDING"},       {SlurmJobState::kRunning, "RUNNING"},
        {SlurmJobState::kCompleting, "COMPLETING"}, {SlurmJobState::kCompleted, "COMPLETED"},
        {SlurmJobState::kFailed, "FAILED"},         {SlurmJobState::kTimeout, "TIMEOUT"},
        {SlurmJobState::kPreempted, "PREEMPTED"},   {SlurmJobState::kCancelled, "CANCELLED"},
        {SlurmJobState::kNodeFail, "NODE_FAIL"},    {SlurmJobState::kOutOfMemory, "OUT_OF_MEMORY"},
        {SlurmJobState::kRequeued, "REQUEUED"},     {SlurmJobState::kSuspended, "SUSPENDED"},
        {SlurmJobState::kUnknown, "UNKNOWN"}};
    for (const auto& [state, name] : names) {
      QCOMPARE(astro::remote::slurmJobStateName(state), name);
      QCOMPARE(astro::remote::parseSlurmJobState(name), state);
    }
  }

  void finished_onlyTheStatesAJobNeverLeaves() {
    for (SlurmJobState state :
         {SlurmJobState::kCompleted, SlurmJobState::kFailed, SlurmJobState::kTimeout,
          SlurmJobState::kCancelled, SlurmJobState::kNodeFail, SlurmJobState::kOutOfMemory}) {
      QVERIFY2(SlurmJobStatus{.state = state}.finished(), slurmJobStateName(state).c_str());
    }
    // A preempted or requeued job may run again.
    for (SlurmJobState state :
         {SlurmJobState::kPending, SlurmJobState::kRunning, SlurmJobState::kCompleting,
          SlurmJobState::kPreempted, SlurmJobState::kRequeued, SlurmJobState::kSuspended,
          SlurmJobState::kUnknown}) {
      QVERIFY2(!SlurmJobStatus{.state = state}.finished(), slurmJobStateName(state).c_str());
    }
  }

  void sbatchArgv_submitsTheScriptParsably() {
    QCOMPARE(astro::remote::sbatchArgv("/shared/ws/runs/7/job.sh"),
             (std::vector<std::string>{"sbatch", "--parsable", "/shared/ws/runs/7/job.sh"}));
    // Never an option: a relative path that starts with '-' is given as ./-...
    QCOMPARE(astro::remote::sbatchArgv("-job.sh"),
             (std::vector<std::string>{"sbatch", "--parsable", "./-job.sh"}));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::remote::sbatchArgv(""));
  }

  void querySlurmJob_queuedJob_asksSqueueOnly() {
    ReplayShell shell;
    shell.answers[squeueLine("2")] = recordedResult("squeue_running", 0);
    auto status = astro::remote::querySlurmJob(shell, "2");
    COMPARE_STATUS(status, "2", SlurmJobState::kRunning, "None", 0);
    QCOMPARE(shell.asked, std::vector<std::string>{squeueLine("2")});
  }

  void querySlurmJob_finishedJob_fromScontrol() {
    ReplayShell shell;
    shell.answers[squeueLine("6")] = recordedResult("squeue_completed", 0);  // prints nothing
    shell.answers[scontrolLine("6")] = recordedResult("scontrol_requeued_completed", 0);
    auto status = astro::remote::querySlurmJob(shell, "6");
    COMPARE_STATUS(status, "6", SlurmJobState::kCompleted, "None", 1);
    QCOMPARE(shell.asked, (std::vector<std::string>{squeueLine("6"), scontrolLine("6")}));
  }

  void querySlurmJob_forgottenJobWithoutAccounting_fromTheCompletionFile() {
    // Past MinJobAge the controller has forgotten the job; without slurmdbd plain sacct fails
    // and `sacct -c` reads the job-completion file.
    ReplayShell shell;
    shell.answers[squeueLine("6")] = recordedResult("squeue_unknown", 1);
    shell.answers[scontrolLine("6")] = recordedResult("scontrol_unknown", 1);
    shell.answers[sacctLine("6")] = recordedResult("sacct_no_accounting", 1);
    shell.answers[sacctCompletionsLine("6")] = recordedResult("sacct_c_requeued_completed", 0);
    auto status = astro::remote::querySlurmJob(shell, "6");
    COMPARE_STATUS(status, "6", SlurmJobState::kCompleted, "", 1);
    QCOMPARE(shell.asked, (std::vector<std::string>{squeueLine("6"), scontrolLine("6"),
                                                    sacctLine("6"), sacctCompletionsLine("6")}));
  }

  void querySlurmJob_jobNobodyKnows_isUnknown() {
    ReplayShell shell;
    shell.answers[squeueLine("9999")] = recordedResult("squeue_unknown", 1);
    shell.answers[scontrolLine("9999")] = recordedResult("scontrol_unknown", 1);
    shell.answers[sacctLine("9999")] = recordedResult("sacct_no_accounting", 1);
    shell.answers[sacctCompletionsLine("9999")] = recordedResult("sacct_c_unknown", 0);
    auto status = astro::remote::querySlurmJob(shell, "9999");
    COMPARE_STATUS(status, "9999", SlurmJobState::kUnknown, "", 0);
    QVERIFY(!status.finished());
  }

  void querySlurmJob_controllerDown_throwsWithTheCommandAndItsError() {
    ReplayShell shell;
    shell.answers[squeueLine("4")] = recordedResult("squeue_controller_down", 1);
    try {
      astro::remote::querySlurmJob(shell, "4");
      QFAIL("no error");
    } catch (const astro::Error& error) {
      QCOMPARE(QString(error.what()),
               QString("`squeue -h -j 4 -o '%i|%T|%r'` on recorded outputs failed (exit status "
                       "1): slurm_load_jobs error: Unable to contact slurm controller (connect "
                       "failure)"));
    }
  }

  void querySlurmJob_notAJobId_isRefusedBeforeAnyCommand() {
    ReplayShell shell;
    for (const char* id : {"", "12;reboot", "$(id)", "-1", "12 13"}) {
      QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::remote::querySlurmJob(shell, id));
    }
    QVERIFY(shell.asked.empty());
  }
};

QTEST_GUILESS_MAIN(SlurmStateTest)
#include "slurm_state_test.moc"
