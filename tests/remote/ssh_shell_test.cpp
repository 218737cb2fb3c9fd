// makeSshShell against a real sshd on a loopback port (tests/remote/support/sshd_server.h):
// argument vectors arrive byte-exact, each failure of the link has its own kind and message, and
// the one multiplexed connection per host is private, reused and replaced when it dies.
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QtTest>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "core/remote/remote_shell.h"
#include "core/remote/ssh_errors.h"
#include "tests/remote/support/sshd_server.h"
#include "tests/support/test_support.h"

using namespace astro::remote;
using astro::test::SshdServer;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::optional<RemoteError> remoteErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const RemoteError& error) {
    return error;
  }
  return std::nullopt;
}

QString failureName(const std::optional<RemoteError>& error) {
  return error ? QString::fromStdString(remoteFailureName(error->failure())) : "(none thrown)";
}

QString message(const std::optional<RemoteError>& error) {
  return error ? QString::fromUtf8(error->what()) : QString();
}

// The pid in `ssh -O check`'s "Master running (pid=N)", 0 when no master answers.
pid_t masterPid(const SshdServer& server) {
  auto result = runProcess(server.controlArgv("check"), {.timeout = std::chrono::seconds(20)});
  auto at = result.err.find("pid=");
  if (result.exitCode != 0 || at == std::string::npos) return 0;
  return static_cast<pid_t>(std::atol(result.err.c_str() + at + 4));
}

bool processAlive(pid_t pid) {
  if (pid <= 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

double secondsOf(const std::function<void()>& action) {
  auto begin = Clock::now();
  action();
  return std::chrono::duration<double>(Clock::now() - begin).count();
}

}  // namespace

class SshShellTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<SshdServer> server_;
  bool homeSshExisted_ = false;
  fs::path homeSsh_;

  std::unique_ptr<RemoteShell> shell() { return makeSshShell(server_->profile()); }
  fs::path pwnedMarker() const { return server_->folder() / "pwned"; }

 private Q_SLOTS:
  void initTestCase() {
    server_ = std::make_unique<SshdServer>();
    QString whyNot;
    if (!server_->start(&whyNot)) QSKIP(qPrintable(whyNot));
    // ssh finds ~/.ssh through the passwd entry; the profile must leave it as it is.
    const passwd* entry = ::getpwuid(::geteuid());
    homeSsh_ = fs::path(entry ? entry->pw_dir : "/root") / ".ssh";
    homeSshExisted_ = fs::exists(homeSsh_);
  }

  void cleanupTestCase() {
    if (!server_) return;
    server_->stop();
    if (!homeSshExisted_) QVERIFY2(!fs::exists(homeSsh_), "the tests created ~/.ssh");
    server_.reset();
  }

  void run_returnsStdoutStderrAndExitCode() {
    auto remote = shell();
    auto result = remote->run({"sh", "-c", "echo out; echo err >&2; exit 3"});
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(result.out, std::string("out\n"));
    QVERIFY2(result.err.find("err\n") != std::string::npos, result.err.c_str());
    QVERIFY(!result.ok());
  }

  void run_givesStdinToTheRemoteCommand() {
    std::string input = "line one\nsecond line\n";
    for (int i = 0; i < 4096; ++i) input += static_cast<char>(1 + i % 255);
    auto result = shell()->run({"cat"}, {.input = input});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out == input);
  }

  void where_namesProfileAndDestination() {
    auto where = QString::fromStdString(shell()->where());
    QVERIFY2(where.contains("loopback"), qPrintable(where));
    QVERIFY2(where.contains("127.0.0.1:" + QString::number(server_->port())), qPrintable(where));
  }

  void hostileArguments_arriveByteExactAsOneArgumentEach() {
    fs::remove(pwnedMarker());
    const std::string marker = pwnedMarker().string();
    std::string allBytes;
    for (int c = 1; c < 256; ++c) allBytes += static_cast<char>(c);
    const std::vector<std::string> hostile = {
        "a b",
        "it's",
        "; touch " + marker,
        "$(touch " + marker + ")",
        "`touch " + marker + "`",
        "`id`",
        "&& touch " + marker,
        "| touch " + marker,
        "\ntouch " + marker + "\n",
        "line1\nline2",
        "-rf",
        "--",
        "*",
        "~",
        "~root",
        "$HOME",
        "${PATH}",
        "!!",
        "\"double\" 'single'",
        "''",
        "\\",
        "a\\'b",
        "\t",
        "\r\n",
        "#not a comment",
        "{a,b}",
        "[ab]?",
        "x=y",
        "%1",
        "\xff\xfe invalid UTF-8 \xc3",
        "Grüße, 世界",
        "",
        allBytes,
        std::string(20000, 'q') + "'" + std::string(20000, '$'),
    };
    std::vector<std::string> argv = {"printf", "%s\\0"};
    argv.insert(argv.end(), hostile.begin(), hostile.end());
    auto result = shell()->run(argv);
    QCOMPARE(result.exitCode, 0);
    std::string expected;
    for (const auto& argument : hostile) expected += argument + '\0';
    QCOMPARE(result.out.size(), expected.size());
    QVERIFY(result.out == expected);
    QVERIFY2(!fs::exists(pwnedMarker()), "a hostile argument ran a command");
  }

  void hostileProgramName_runsNothingElse() {
    // The program word itself: an unquoted NAME=value would be an assignment and run the next
    // argument as the program instead.
    fs::remove(pwnedMarker());
    const std::string marker = pwnedMarker().string();
    for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
             {"; touch " + marker},
             {"$(touch " + marker + ")"},
             {"X=1", "touch", marker},
             {"if", "true;", "then", "touch", marker + ";", "fi"},
         }) {
      auto result = shell()->run(argv);
      QVERIFY2(result.exitCode == 127, qPrintable(QString("'%1' gave exit %2: %3")
                                                      .arg(QString::fromStdString(argv[0]))
                                                      .arg(result.exitCode)
                                                      .arg(QString::fromStdString(result.err))));
      QVERIFY2(!fs::exists(pwnedMarker()),
               qPrintable("program word '" + QString::fromStdString(argv[0]) + "' ran a command"));
    }
  }

  void firstConnection_recordsHostKeyInTheProfilesKnownHosts() {
    QCOMPARE(shell()->run({"true"}).exitCode, 0);
    auto knownHosts = astro::test::runProgram(
        "cat", {QString::fromStdString(server_->knownHostsFile().string())});
    const QString entry = QString("[127.0.0.1]:%1 ssh-ed25519 ").arg(server_->port());
    QVERIFY2(knownHosts.out.startsWith(entry), qPrintable(knownHosts.out));
    QCOMPARE(knownHosts.out.count('\n'), 1);
  }

  void missingRemoteProgram_isMissingAstro() {
    auto remote = shell();
    const std::string program = "/nonexistent/bin/astro";
    auto result = remote->run({program, "version", "--json"});
    QCOMPARE(result.exitCode, 127);
    RemoteError error = missingProgram(remote->where(), program, result);
    QCOMPARE(QString::fromStdString(remoteFailureName(error.failure())), QString("missing-astro"));
    QString text = QString::fromUtf8(error.what());
    QVERIFY2(text.contains(QString::fromStdString(program)), qPrintable(text));
    QVERIFY2(text.contains("127.0.0.1"), qPrintable(text));
  }

  void refusedPort_isRefusedAndNamesTheHost() {
    auto profile = server_->profile("closed-port");
    profile.ssh.port = SshdServer::unusedPort();
    auto error = remoteErrorOf([&] { makeSshShell(profile)->run({"true"}); });
    QCOMPARE(failureName(error), QString("refused"));
    QVERIFY2(message(error).contains("closed-port"), qPrintable(message(error)));
    QVERIFY2(message(error).contains("127.0.0.1:" + QString::number(profile.ssh.port)),
             qPrintable(message(error)));
  }

  void wrongKey_isAuthFailed() {
    // Masters are per destination: a live one would let the wrong key in without asking.
    server_->closeMasters();
    auto error = remoteErrorOf([&] { makeSshShell(server_->wrongKeyProfile())->run({"true"}); });
    QCOMPARE(failureName(error), QString("auth-failed"));
    QVERIFY2(message(error).contains("loopback-wrong-key"), qPrintable(message(error)));
  }

  void unknownHostName_isUnknownHost() {
    auto profile = server_->profile("nowhere");
    profile.ssh = {.user = "", .host = "no-such-host.invalid", .port = 0};
    auto error = remoteErrorOf([&] { makeSshShell(profile)->run({"true"}); });
    QCOMPARE(failureName(error), QString("unknown-host"));
    QVERIFY2(message(error).contains("no-such-host.invalid"), qPrintable(message(error)));
  }

  void controlFolder_isPrivateToTheUser() {
    QCOMPARE(shell()->run({"true"}).exitCode, 0);
    fs::path folder = sshControlFolder();
    struct stat info {};
    QCOMPARE(::lstat(folder.c_str(), &info), 0);
    QVERIFY(S_ISDIR(info.st_mode));
    QCOMPARE(info.st_mode & 07777, mode_t{0700});
    QCOMPARE(info.st_uid, ::geteuid());
    auto argv = shell()->commandFor({"true"});
    auto controlPath = std::find_if(argv.begin(), argv.end(), [](const std::string& option) {
      return option.rfind("ControlPath=", 0) == 0;
    });
    QVERIFY(controlPath != argv.end());
    QVERIFY2(controlPath->find(folder.string()) != std::string::npos, controlPath->c_str());
  }

  void laterCommands_reuseTheMaster() {
    server_->closeMasters();
    const int loginsBefore = server_->acceptedLogins();
    auto remote = shell();
    double first = secondsOf([&] { QCOMPARE(remote->run({"true"}).exitCode, 0); });
    double second = secondsOf([&] { QCOMPARE(remote->run({"true"}).exitCode, 0); });
    double third = secondsOf([&] { QCOMPARE(shell()->run({"true"}).exitCode, 0); });
    qInfo("first command %.3f s (new connection), then %.3f s and %.3f s through the master", first,
          second, third);
    QCOMPARE(server_->acceptedLogins(), loginsBefore + 1);
    pid_t master = masterPid(*server_);
    QVERIFY2(master > 0, "ssh -O check finds no master");
  }

  void killedMaster_isReplacedByANewConnection() {
    QCOMPARE(shell()->run({"true"}).exitCode, 0);
    pid_t master = masterPid(*server_);
    QVERIFY(master > 0);
    // SIGKILL leaves the socket file behind: the next ssh must not trip over it.
    QCOMPARE(::kill(master, SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(master), 5000);
    const int loginsBefore = server_->acceptedLogins();
    auto result = shell()->run({"echo", "again"});
    QCOMPARE(result.out, std::string("again\n"));
    QCOMPARE(server_->acceptedLogins(), loginsBefore + 1);
    pid_t replacement = masterPid(*server_);
    QVERIFY(replacement > 0 && replacement != master);
  }

  void droppedLink_failsTheRunningCommandAsDropped_thenReconnects() {
    QCOMPARE(shell()->run({"true"}).exitCode, 0);
    pid_t master = masterPid(*server_);
    const auto sessionsBefore = server_->log().count("Starting session: command");
    std::optional<RemoteError> error;
    ProcessResult finished;
    std::jthread running([&] {
      error = remoteErrorOf([&] { finished = shell()->run({"sleep", "30"}); });
    });
    // Let the command start, then cut every connection while sshd keeps listening.
    QTRY_VERIFY_WITH_TIMEOUT(server_->log().count("Starting session: command") > sessionsBefore,
                             10000);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto begin = Clock::now();
    server_->dropConnections();
    running.join();
    double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    QVERIFY2(seconds < 10, "the running command did not notice the dropped link");
    QVERIFY2(failureName(error) == "dropped",
             qPrintable(failureName(error) + ": " + message(error) +
                        (error ? "" : " exit " + QString::number(finished.exitCode))));
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(master), 10000);
    auto result = shell()->run({"echo", "back"});
    QCOMPARE(result.out, std::string("back\n"));
  }

  void sshdStoppedAndRestarted_newCommandSucceeds() {
    QCOMPARE(shell()->run({"true"}).exitCode, 0);
    QVERIFY(masterPid(*server_) > 0);
    server_->stop();
    QVERIFY(!server_->running());
    QCOMPARE(masterPid(*server_), pid_t{0});
    auto down = remoteErrorOf([&] { shell()->run({"true"}); });
    QCOMPARE(failureName(down), QString("refused"));
    server_->restart();
    QVERIFY(server_->running());
    auto result = shell()->run({"echo", "up"});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, std::string("up\n"));
  }
};

QTEST_GUILESS_MAIN(SshShellTest)
#include "ssh_shell_test.moc"
