// launchLocal against real processes (sh -c scripts here; core itself never runs a shell): every
// rank gets its own RANK and the job's MASTER_PORT, ranks > 0 log to files, the first rank to fail
// ends the job and is named with how it ended, and SIGINT to the launcher reaches every rank.
#include "core/dist/local_launcher.h"

#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <QtTest>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/base/error.h"
#include "tests/support/test_support.h"

using astro::dist::launchLocal;
using astro::dist::LaunchOptions;
using astro::dist::LaunchResult;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

LaunchOptions shellJob(const std::string& script, const fs::path& folder, int processes = 3) {
  LaunchOptions options;
  options.argv = {"sh", "-c", script};
  options.processes = processes;
  options.logFolder = folder / "logs";
  options.environment = {{"OUT", folder.string()}};
  options.gracePeriod = std::chrono::milliseconds(500);
  return options;
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

class LocalLauncherTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void threeRanks_seeTheirOwnRankAndOneMasterPort() {
    fs::path folder = astro::test::freshTempDir("launch-ranks");
    LaunchOptions options = shellJob(
        "echo \"$RANK $WORLD_SIZE $LOCAL_RANK $LOCAL_WORLD_SIZE $MASTER_ADDR $MASTER_PORT "
        "$ASTRO_THREADS\" > \"$OUT/rank-$RANK.txt\"; echo \"log of $RANK\"",
        folder);
    options.splitThreads = true;
    LaunchResult result = launchLocal(options);
    QVERIFY2(result.ok(), result.failure.c_str());
    QCOMPARE(result.exitCode(), 0);
    QVERIFY(result.masterPort > 0);
    cpu_set_t cores;
    QCOMPARE(::sched_getaffinity(0, sizeof cores, &cores), 0);
    int threads = std::max(1, CPU_COUNT(&cores) / 3);  // the cores this process may run on
    for (int r = 0; r < 3; ++r) {
      std::string expected = std::to_string(r) + " 3 " + std::to_string(r) + " 3 127.0.0.1 " +
                             std::to_string(result.masterPort) + " " + std::to_string(threads) +
                             "\n";
      QCOMPARE(readFile(folder / ("rank-" + std::to_string(r) + ".txt")), expected);
      QCOMPARE(result.ranks[r].exitCode, 0);
    }
    QVERIFY(!fs::exists(folder / "logs" / "rank-0.log"));  // rank 0 writes to ours
    QCOMPARE(readFile(folder / "logs" / "rank-1.log"), std::string("log of 1\n"));
    QCOMPARE(readFile(folder / "logs" / "rank-2.log"), std::string("log of 2\n"));
  }

  void givenMasterPort_isPassedOn() {
    fs::path folder = astro::test::freshTempDir("launch-port");
    LaunchOptions options = shellJob("echo $MASTER_PORT > \"$OUT/port-$RANK\"", folder, 2);
    options.masterPort = 41234;
    LaunchResult result = launchLocal(options);
    QVERIFY(result.ok());
    QCOMPARE(result.masterPort, 41234);
    QCOMPARE(readFile(folder / "port-1"), std::string("41234\n"));
  }

  void failingRank_endsTheJobAndIsNamedWithItsLastLines() {
    fs::path folder = astro::test::freshTempDir("launch-fail");
    auto start = Clock::now();
    LaunchResult result = launchLocal(shellJob(
        "if [ $RANK = 1 ]; then echo first; echo 'something broke' >&2; exit 3; fi; exec sleep 60",
        folder));
    QVERIFY(secondsSince(start) < 20);
    QVERIFY(!result.ok());
    QCOMPARE(result.firstFailure, std::optional<int>(1));
    QCOMPARE(result.exitCode(), 3);
    QCOMPARE(result.ranks[1].exitCode, 3);
    QVERIFY(!result.ranks[1].stoppedByLauncher);
    for (int r : {0, 2}) {
      QVERIFY(result.ranks[r].stoppedByLauncher);
      QCOMPARE(result.ranks[r].signal, SIGTERM);
    }
    std::string log = (folder / "logs" / "rank-1.log").string();
    QCOMPARE(result.failure, "rank 1 of 3 exited with code 3; last lines of " + log +
                                 ":\n  first\n"
                                 "  something broke\n");
  }

  void rankKilledBySignal_isReportedWithTheSignal() {
    fs::path folder = astro::test::freshTempDir("launch-signal");
    LaunchResult result =
        launchLocal(shellJob("if [ $RANK = 2 ]; then kill -9 $$; fi; exec sleep 60", folder));
    QCOMPARE(result.firstFailure, std::optional<int>(2));
    QCOMPARE(result.ranks[2].signal, SIGKILL);
    QCOMPARE(result.exitCode(), 128 + SIGKILL);
    QVERIFY2(result.failure.rfind("rank 2 of 3 was killed by signal 9 (Killed)", 0) == 0,
             result.failure.c_str());
  }

  void withoutLogFolder_theFailureSaysWhereTheOutputWent() {
    fs::path folder = astro::test::freshTempDir("launch-nolog");
    LaunchOptions options = shellJob("[ $RANK = 1 ] && exit 4; exit 0", folder, 2);
    options.logFolder.reset();
    LaunchResult result = launchLocal(options);
    QCOMPARE(result.failure,
             std::string("rank 1 of 2 exited with code 4 (its output went to /dev/null: give a "
                         "log folder)"));
  }

  void sigintToTheLauncher_reachesEveryRank() {
    fs::path folder = astro::test::freshTempDir("launch-sigint");
    LaunchResult result;
    std::thread launcher([&] {
      result = launchLocal(shellJob("touch \"$OUT/started-$RANK\"; exec sleep 60", folder));
    });
    auto start = Clock::now();
    while (secondsSince(start) < 20 &&
           !(fs::exists(folder / "started-0") && fs::exists(folder / "started-1") &&
             fs::exists(folder / "started-2"))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(::getpid(), SIGINT);  // the launcher's handler is installed while ranks run
    launcher.join();
    QCOMPARE(result.forwardedSignal, SIGINT);
    for (int r = 0; r < 3; ++r) QCOMPARE(result.ranks[r].signal, SIGINT);
    QCOMPARE(result.exitCode(), 128 + SIGINT);
    QVERIFY(secondsSince(start) < 20);
  }

  void missingProgram_isAnError() {
    LaunchOptions options;
    options.argv = {"/nonexistent/astro-rank"};
    QVERIFY_THROWS_EXCEPTION(astro::Error, launchLocal(options));
  }

  void badOptions_areUsageErrors() {
    LaunchOptions options;
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, launchLocal(options));
    options.argv = {"true"};
    options.processes = 0;
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, launchLocal(options));
  }
};

QTEST_GUILESS_MAIN(LocalLauncherTest)
#include "local_launcher_test.moc"
