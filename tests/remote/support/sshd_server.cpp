// A real sshd for the remote tests (sshd_server.h). Facts it relies on
// (/work/shared/notes/real-component-tests.md): sshd starts only by absolute path and with
// /run/sshd present; each connection is a forked sshd in a session of its own, so dropping the
// link means killing those processes by pid, not a process group.
#include "tests/remote/support/sshd_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QStringList>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <thread>

#include "core/base/error.h"
#include "core/remote/remote_shell.h"
#include "tests/support/test_support.h"

namespace astro::test {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kSshd = "/usr/sbin/sshd";
constexpr const char* kPrivilegeSeparationFolder = "/run/sshd";

QString q(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

QString lastLines(const std::string& text, int count) {
  QStringList lines = QString::fromStdString(text).split('\n', Qt::SkipEmptyParts);
  return lines.mid(std::max<qsizetype>(0, lines.size() - count)).join("\n");
}

bool portAcceptsConnections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

struct ProcInfo {
  pid_t pid = 0;
  pid_t parent = 0;
  char state = '?';
  std::string name;
};

std::optional<ProcInfo> procInfo(pid_t pid) {
  std::string stat = readText("/proc/" + std::to_string(pid) + "/stat");
  // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so split at the last ')'.
  auto open = stat.find('(');
  auto close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 4 >= stat.size()) {
    return std::nullopt;
  }
  ProcInfo info;
  info.pid = pid;
  info.name = stat.substr(open + 1, close - open - 1);
  info.state = stat[close + 2];
  info.parent = static_cast<pid_t>(std::atol(stat.c_str() + close + 4));
  return info;
}

bool alive(pid_t pid) {
  auto info = procInfo(pid);
  return info && info->state != 'Z' && info->state != 'X';
}

// The sshd processes below `root` (one or two per open connection), not `root` itself.
std::vector<pid_t> sshdDescendants(pid_t root) {
  std::vector<ProcInfo> all;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (auto info = procInfo(static_cast<pid_t>(std::stol(name)))) all.push_back(*info);
  }
  std::vector<pid_t> below{root};
  for (std::size_t i = 0; i < below.size(); ++i) {
    for (const ProcInfo& info : all) {
      if (info.parent == below[i]) below.push_back(info.pid);
    }
  }
  std::vector<pid_t> sessions;
  for (std::size_t i = 1; i < below.size(); ++i) {
    auto info = procInfo(below[i]);
    if (info && info->name == "sshd") sessions.push_back(below[i]);
  }
  return sessions;
}

void waitUntilGone(const std::vector<pid_t>& pids, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  for (pid_t pid : pids) {
    while (alive(pid) && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
  }
}

// Reaps our child `pid`; true when it exited within `limit`.
bool reap(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno == ECHILD)) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

bool generateKey(const std::filesystem::path& file, const QString& comment, QString* whyNot) {
  auto result = runProgram("ssh-keygen",
                           {"-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", q(file)}, 30000);
  if (result.exitCode == 0 && std::filesystem::exists(file)) return true;
  *whyNot = QString("ssh-keygen could not make %1 (exit %2): %3 %4 (install openssh-client)")
                .arg(q(file))
                .arg(result.exitCode)
                .arg(result.err.trimmed(), result.out.trimmed());
  return false;
}

}  // namespace

SshdServer::SshdServer() : folder_(freshTempDir("sshd")) {}

SshdServer::~SshdServer() { stop(); }

std::string SshdServer::user() const {
  const passwd* entry = ::getpwuid(::geteuid());
  return entry ? entry->pw_name : "root";
}

int SshdServer::unusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw IoError("socket", "create", errno);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    int error = errno;
    ::close(fd);
    throw IoError("127.0.0.1:0", "bind", error);
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

bool SshdServer::prepare(QString* whyNot) {
  if (prepared_) return true;
  if (::access(kSshd, X_OK) != 0) {
    *whyNot = QString("%1 is missing: install openssh-server (apt-get install openssh-server)")
                  .arg(kSshd);
    return false;
  }
  // sshd refuses to start without its privilege separation folder (Debian creates it at boot).
  if (::mkdir(kPrivilegeSeparationFolder, 0755) != 0 && errno != EEXIST) {
    *whyNot = QString("cannot create %1 that sshd needs: %2")
                  .arg(kPrivilegeSeparationFolder, std::strerror(errno));
    return false;
  }
  ::chmod(kPrivilegeSeparationFolder, 0755);
  if (!generateKey(folder_ / "host_ed25519", "astro-test-host", whyNot) ||
      !generateKey(clientKey(), "astro-test-client", whyNot) ||
      !generateKey(folder_ / "wrong_ed25519", "astro-test-not-authorized", whyNot)) {
    return false;
  }
  std::filesystem::copy_file(folder_ / "client_ed25519.pub", folder_ / "authorized_keys",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(knownHostsFile(), std::ios::app).close();
  prepared_ = true;
  return true;
}

bool SshdServer::launch(QString* whyNot) {
  const auto config = folder_ / "sshd_config";
  {
    std::ofstream out(config, std::ios::trunc);
    out << "Port " << port_ << "\n"
        << "ListenAddress 127.0.0.1\n"
        << "HostKey " << (folder_ / "host_ed25519").string() << "\n"
        << "AuthorizedKeysFile " << (folder_ / "authorized_keys").string() << "\n"
        << "PidFile " << (folder_ / "sshd.pid").string() << "\n"
        << "StrictModes no\n"
        << "UsePAM no\n"
        << "PasswordAuthentication no\n"
        << "KbdInteractiveAuthentication no\n"
        << "PubkeyAuthentication yes\n"
        << "PermitRootLogin prohibit-password\n"
        << "UseDNS no\n"
        << "PrintMotd no\n"
        // Mirror streams and commands share one ControlMaster; the default of 10 is near.
        << "MaxSessions 64\n"
        << "MaxStartups 64\n"
        << "LogLevel VERBOSE\n";
  }
  const auto logFile = folder_ / "sshd.log";
  const auto logStart = std::filesystem::exists(logFile) ? std::filesystem::file_size(logFile) : 0;
  const std::vector<std::string> argv = {kSshd, "-D", "-e", "-f", config.string()};
  std::vector<char*> args;
  for (const auto& argument : argv) args.push_back(const_cast<char*>(argument.c_str()));
  args.push_back(nullptr);

  int logFd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int nullFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (logFd < 0 || nullFd < 0) throw IoError(logFile.string(), "open", errno);
  pid_t pid = ::fork();
  if (pid == 0) {
    // sshd must not outlive a test that crashes; only async-signal-safe calls from here on.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    ::dup2(nullFd, STDIN_FILENO);
    ::dup2(logFd, STDOUT_FILENO);
    ::dup2(logFd, STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::execv(kSshd, args.data());
    ::_exit(127);
  }
  int forkError = errno;
  ::close(logFd);
  ::close(nullFd);
  if (pid < 0) throw IoError(kSshd, "fork", forkError);
  pid_ = pid;

  // sshd logs "Server listening on 127.0.0.1 port N." once it listens.
  const std::string listening = "Server listening on 127.0.0.1 port " + std::to_string(port_);
  const auto deadline = Clock::now() + 15s;
  for (;;) {
    std::string text = readText(logFile).substr(logStart);
    if (text.find(listening) != std::string::npos && portAcceptsConnections(port_)) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      *whyNot = QString("%1 -D -e -f %2 exited (status %3) instead of listening on port %4: %5")
                    .arg(kSshd, q(config))
                    .arg(status)
                    .arg(port_)
                    .arg(lastLines(text, 5));
      return false;
    }
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      reap(pid_, 5s);
      pid_ = -1;
      *whyNot = QString("%1 -D -e -f %2 did not listen on port %3 within 15 s: %4")
                    .arg(kSshd, q(config))
                    .arg(port_)
                    .arg(lastLines(text, 5));
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
}

bool SshdServer::start(QString* whyNot) {
  QString ignored;
  if (!whyNot) whyNot = &ignored;
  if (running()) return true;
  if (!prepare(whyNot)) return false;
  // A port found free can be taken before sshd binds it: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = unusedPort();
    if (launch(whyNot)) return true;
    if (!whyNot->contains("Address already in use")) return false;
  }
  return false;
}

std::vector<std::string> SshdServer::controlArgv(const std::string& operation) const {
  const auto destination = profile();
  std::vector<std::string> argv =
      astro::remote::sshArgv(destination.ssh, destination.sshOptions, "true");
  if (!argv.empty() && argv.back() == "true") argv.pop_back();
  argv.insert(argv.begin() + 1, {"-O", operation});
  return argv;
}

void SshdServer::closeMasters() const {
  if (!prepared_) return;
  std::vector<std::string> argv;
  try {
    argv = controlArgv("exit");
  } catch (const Error&) {
    return;  // no control folder (sshControlFolder refused it): no master to close
  }
  QStringList arguments;
  for (std::size_t i = 1; i < argv.size(); ++i) arguments << QString::fromStdString(argv[i]);
  runProgram(QString::fromStdString(argv[0]), arguments, 15000);
}

void SshdServer::dropConnections() {
  if (!running()) return;
  const auto sessions = sshdDescendants(pid_);
  for (pid_t pid : sessions) ::kill(pid, SIGKILL);
  waitUntilGone(sessions, 5s);
}

void SshdServer::stop() {
  if (!running()) return;
  closeMasters();
  const auto sessions = sshdDescendants(pid_);
  ::kill(pid_, SIGTERM);
  if (!reap(pid_, 5s)) {
    ::kill(pid_, SIGKILL);
    reap(pid_, 5s);
  }
  pid_ = -1;
  for (pid_t pid : sessions) ::kill(pid, SIGKILL);
  waitUntilGone(sessions, 5s);
  const auto deadline = Clock::now() + 5s;
  while (portAcceptsConnections(port_) && Clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
}

void SshdServer::restart() {
  stop();
  QString whyNot;
  if (!launch(&whyNot)) throw Error("sshd did not restart: " + whyNot.toStdString());
}

astro::remote::HostProfile SshdServer::profileWithKey(const std::filesystem::path& key,
                                                      const std::string& name,
                                                      const std::string& remoteWorkspace,
                                                      const std::string& astroPath) const {
  astro::remote::HostProfile profile;
  profile.name = name;
  profile.kind = astro::remote::HostKind::kSsh;
  profile.ssh = {.user = user(), .host = "127.0.0.1", .port = port_};
  // -F none: neither ~/.ssh/config nor /etc/ssh/ssh_config (which hashes known_hosts) applies.
  profile.sshOptions = {"-F", "none",
                        "-i", key.string(),
                        "-o", "IdentitiesOnly=yes",
                        "-o", "UserKnownHostsFile=" + knownHostsFile().string()};
  profile.workspace =
      remoteWorkspace.empty() ? (folder_ / "remote-workspace").string() : remoteWorkspace;
  profile.astro = astroPath;
  return profile;
}

astro::remote::HostProfile SshdServer::profile(const std::string& name,
                                               const std::string& remoteWorkspace,
                                               const std::string& astroPath) const {
  return profileWithKey(clientKey(), name, remoteWorkspace, astroPath);
}

astro::remote::HostProfile SshdServer::wrongKeyProfile(const std::string& name,
                                                       const std::string& remoteWorkspace,
                                                       const std::string& astroPath) const {
  return profileWithKey(folder_ / "wrong_ed25519", name, remoteWorkspace, astroPath);
}

QString SshdServer::log() const { return QString::fromStdString(readText(folder_ / "sshd.log")); }

int SshdServer::acceptedLogins() const { return log().count("Accepted publickey for "); }

}  // namespace astro::test
