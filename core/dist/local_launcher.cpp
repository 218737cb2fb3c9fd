// The local launcher (local_launcher.h): fork + execvp per rank, no shell. The wait loop polls the
// ranks every 50 ms and a self-pipe that SIGINT/SIGTERM/SIGHUP write to, so a signal to the launcher is
// passed on at once; after the first failure it gives the others a grace period, then SIGTERM,
// then SIGKILL.
#include "core/dist/local_launcher.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/base/error.h"

extern char** environ;

namespace astro::dist {

namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t receivedSignal = 0;
int wakePipeWrite = -1;

void onSignal(int signal) {
  receivedSignal = signal;
  int saved = errno;
  if (wakePipeWrite >= 0) (void)!::write(wakePipeWrite, "x", 1);
  errno = saved;
}

// SIGINT/SIGTERM/SIGHUP handlers for the life of one launch; the previous ones come back
// afterwards. (SIGHUP: the Slurm job script asks a worker to checkpoint and stop with it.)
class SignalForwarding {
 public:
  SignalForwarding() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw IoError("pipe", "create", errno);
    readFd_ = fds[0];
    wakePipeWrite = fds[1];
    receivedSignal = 0;
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &previousInt_);
    ::sigaction(SIGTERM, &action, &previousTerm_);
    ::sigaction(SIGHUP, &action, &previousHup_);
  }
  ~SignalForwarding() {
    ::sigaction(SIGINT, &previousInt_, nullptr);
    ::sigaction(SIGTERM, &previousTerm_, nullptr);
    ::sigaction(SIGHUP, &previousHup_, nullptr);
    ::close(wakePipeWrite);
    wakePipeWrite = -1;
    ::close(readFd_);
  }
  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

  // Sleeps up to `timeout` or until a signal arrives; returns the signal (0: none).
  int wait(std::chrono::milliseconds timeout) {
    pollfd fd{readFd_, POLLIN, 0};
    ::poll(&fd, 1, static_cast<int>(timeout.count()));
    char drain[64];
    while (::read(readFd_, drain, sizeof drain) > 0) {
    }
    int signal = receivedSignal;
    receivedSignal = 0;
    return signal;
  }

 private:
  int readFd_ = -1;
  struct sigaction previousInt_ {};
  struct sigaction previousHup_ {};
  struct sigaction previousTerm_ {};
};

int usableCores() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::vector<std::string> rankEnvironment(const LaunchOptions& options, int rank, int port) {
  std::map<std::string, std::string> values;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string item(*entry);
    auto equals = item.find('=');
    if (equals != std::string::npos) values[item.substr(0, equals)] = item.substr(equals + 1);
  }
  for (const auto& [key, value] : options.environment) values[key] = value;
  values["RANK"] = std::to_string(rank);
  values["LOCAL_RANK"] = std::to_string(rank);
  values["WORLD_SIZE"] = std::to_string(options.processes);
  values["LOCAL_WORLD_SIZE"] = std::to_string(options.processes);
  values["MASTER_ADDR"] = options.masterAddress;
  values["MASTER_PORT"] = std::to_string(port);
  if (options.splitThreads) {
    values["ASTRO_THREADS"] = std::to_string(std::max(1, usableCores() / options.processes));
  }
  std::vector<std::string> result;
  for (const auto& [key, value] : values) result.push_back(key + "=" + value);
  return result;
}

std::filesystem::path logPath(const std::filesystem::path& folder, int rank) {
  return folder / ("rank-" + std::to_string(rank) + ".log");
}

// Starts one rank; its output goes to `outputFd` (-1: inherit ours). Throws Error when exec fails.
pid_t startRank(const std::vector<std::string>& argv, std::vector<std::string> environment,
                int outputFd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  int status[2];
  if (::pipe2(status, O_CLOEXEC) != 0) throw IoError("pipe", "create", errno);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw IoError(argv[0], "fork", errno);
  if (pid == 0) {
    // A launcher killed outright must not leave its ranks running.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    if (outputFd >= 0) {
      ::dup2(outputFd, STDOUT_FILENO);
      ::dup2(outputFd, STDERR_FILENO);
    }
    ::signal(SIGPIPE, SIG_DFL);
    ::execvpe(args[0], args.data(), envp.data());
    int code = errno;
    (void)!::write(status[1], &code, sizeof code);
    ::_exit(127);
  }
  ::close(status[1]);
  int code = 0;
  ssize_t got;
  do {
    got = ::read(status[0], &code, sizeof code);
  } while (got < 0 && errno == EINTR);
  ::close(status[0]);
  if (got == sizeof code) {
    ::waitpid(pid, nullptr, 0);
    throw Error("cannot run " + argv[0] + ": " + std::strerror(code));
  }
  return pid;
}

std::string lastLines(const std::filesystem::path& path, int count) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  std::streamoff start = std::max<std::streamoff>(0, size - 64 * 1024);
  in.seekg(start);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  if (start > 0 && !lines.empty()) lines.erase(lines.begin());  // cut mid-line
  std::size_t from = lines.size() > static_cast<std::size_t>(count) ? lines.size() - count : 0;
  std::string result;
  for (std::size_t i = from; i < lines.size(); ++i) result += "  " + lines[i] + "\n";
  return result;
}

struct Running {
  pid_t pid = -1;
  RankExit exit;
  bool done = false;
};

void signalRunning(std::vector<Running>& ranks, int signal, bool byLauncher) {
  for (auto& rank : ranks) {
    if (rank.done) continue;
    ::kill(rank.pid, signal);
    if (byLauncher) rank.exit.stoppedByLauncher = true;
  }
}

std::string failureText(const LaunchOptions& options, const RankExit& failed) {
  std::string text = "rank " + std::to_string(failed.rank) + " of " +
                     std::to_string(options.processes) + " " + failed.describe();
  if (failed.rank == 0) return text + " (its output is above)";
  if (!options.logFolder) return text + " (its output went to /dev/null: give a log folder)";
  auto path = logPath(*options.logFolder, failed.rank);
  std::string tail = lastLines(path, options.failureLines);
  if (tail.empty()) return text + " (" + path.string() + " is empty)";
  return text + "; last lines of " + path.string() + ":\n" + tail;
}

void validate(const LaunchOptions& options) {
  if (options.argv.empty()) throw UsageError("launch: no program to run");
  if (options.processes < 1) {
    throw UsageError("launch: processes must be 1 or more, got " +
                     std::to_string(options.processes));
  }
  if (options.masterPort && (*options.masterPort < 1 || *options.masterPort > 65535)) {
    throw UsageError("launch: master port " + std::to_string(*options.masterPort) +
                     " is outside 1..65535");
  }
}

}  // namespace

std::string RankExit::describe() const {
  if (signal != 0) {
    const char* name = ::strsignal(signal);
    return "was killed by signal " + std::to_string(signal) + " (" + (name ? name : "?") + ")";
  }
  return "exited with code " + std::to_string(exitCode);
}

int LaunchResult::exitCode() const {
  if (firstFailure) {
    const RankExit& failed = ranks[static_cast<std::size_t>(*firstFailure)];
    return failed.signal != 0 ? 128 + failed.signal : failed.exitCode;
  }
  return forwardedSignal != 0 ? 128 + forwardedSignal : 0;
}

int findFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw IoError("socket", "create", errno);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    int code = errno;
    ::close(fd);
    throw IoError("port 0", "bind", code);
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

LaunchResult launchLocal(const LaunchOptions& options) {
  validate(options);
  LaunchResult result;
  result.masterPort = options.masterPort.value_or(0);
  if (result.masterPort == 0) result.masterPort = findFreePort();
  if (options.logFolder) std::filesystem::create_directories(*options.logFolder);

  SignalForwarding signals;
  std::vector<Running> ranks(static_cast<std::size_t>(options.processes));
  for (int r = 0; r < options.processes; ++r) {
    auto& rank = ranks[static_cast<std::size_t>(r)];
    rank.exit.rank = r;
    std::string output = r == 0              ? ""
                         : options.logFolder ? logPath(*options.logFolder, r).string()
                                             : "/dev/null";
    int outputFd = -1;
    if (!output.empty()) {
      outputFd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (outputFd < 0) throw IoError(output, "create", errno);
    }
    try {
      rank.pid = startRank(options.argv, rankEnvironment(options, r, result.masterPort), outputFd);
    } catch (...) {
      if (outputFd >= 0) ::close(outputFd);
      ranks.resize(static_cast<std::size_t>(r));
      signalRunning(ranks, SIGKILL, true);
      for (auto& started : ranks) ::waitpid(started.pid, nullptr, 0);
      throw;
    }
    if (outputFd >= 0) ::close(outputFd);
  }

  std::optional<Clock::time_point> stopSince;  // first failure or forwarded signal
  bool terminated = false;
  bool killed = false;
  std::size_t finished = 0;
  while (finished < ranks.size()) {
    for (auto& rank : ranks) {
      if (rank.done) continue;
      int status = 0;
      if (::waitpid(rank.pid, &status, WNOHANG) != rank.pid) continue;
      rank.done = true;
      ++finished;
      if (WIFEXITED(status)) rank.exit.exitCode = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) rank.exit.signal = WTERMSIG(status);
      if (!rank.exit.ok() && !result.firstFailure) {
        result.firstFailure = rank.exit.rank;
        if (!stopSince) stopSince = Clock::now();
      }
    }
    if (finished == ranks.size()) break;
    if (int signal = signals.wait(std::chrono::milliseconds(50))) {
      result.forwardedSignal = signal;
      signalRunning(ranks, signal, false);
      if (!stopSince) stopSince = Clock::now();
    }
    if (stopSince && !terminated && Clock::now() - *stopSince > options.gracePeriod) {
      signalRunning(ranks, SIGTERM, true);
      terminated = true;
    }
    if (terminated && !killed && Clock::now() - *stopSince > 2 * options.gracePeriod) {
      signalRunning(ranks, SIGKILL, true);
      killed = true;
    }
  }
  for (const auto& rank : ranks) result.ranks.push_back(rank.exit);
  if (result.firstFailure) {
    result.failure =
        failureText(options, result.ranks[static_cast<std::size_t>(*result.firstFailure)]);
  } else if (result.forwardedSignal) {
    result.failure = "stopped by signal " + std::to_string(result.forwardedSignal) +
                     " (passed on to every rank)";
  }
  return result;
}

}  // namespace astro::dist
