// A real single-node Slurm for the remote tests (slurm_cluster.h). Facts it relies on
// (/work/shared/notes/real-component-tests.md, slurm-wlm 22.05): every command finds the cluster
// through SLURM_CONF; the daemons run as root in the foreground (-D); munged is reached through
// the socket that AuthInfo names; `scontrol requeue` holds a job back for AuthInfo's cred_expire
// (default 120 s) before it may start again, and the main scheduler looks at pending jobs every
// sched_interval (default 60 s): both are lowered here so a requeued job reruns within seconds.
#include "tests/remote/support/slurm_cluster.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QStringList>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include "core/base/error.h"
#include "core/remote/process.h"
#include "tests/remote/support/sshd_server.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace astro::test {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kMunged = "/usr/sbin/munged";
constexpr const char* kSlurmctld = "/usr/sbin/slurmctld";
constexpr const char* kSlurmd = "/usr/sbin/slurmd";
constexpr const char* kClientCommands[] = {"sbatch", "squeue",  "scontrol",
                                           "sacct",  "scancel", "sinfo"};
// Daemons in the order they start; stop() goes the other way.
constexpr const char* kDaemons[] = {"munged", "slurmctld", "slurmd"};

QString q(const fs::path& path) { return QString::fromStdString(path.string()); }

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

QString lastLines(const std::string& text, int count) {
  QStringList lines = QString::fromStdString(text).split('\n', Qt::SkipEmptyParts);
  return lines.mid(std::max<qsizetype>(0, lines.size() - count)).join("\n");
}

bool onPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  QStringList folders = QString(path ? path : "/usr/bin:/bin").split(':', Qt::SkipEmptyParts);
  return std::any_of(folders.begin(), folders.end(), [&](const QString& folder) {
    return ::access((folder.toStdString() + "/" + program).c_str(), X_OK) == 0;
  });
}

std::string hostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

// The pid in `file`, if that process is alive and runs `program` (so a stale pid file never makes
// us signal an unrelated process).
pid_t pidFromFile(const fs::path& file, const std::string& program) {
  std::string text = readText(file);
  pid_t pid = static_cast<pid_t>(std::atol(text.c_str()));
  if (pid <= 0) return 0;
  std::string command = readText("/proc/" + std::to_string(pid) + "/comm");
  return command.rfind(program.substr(0, 15), 0) == 0 ? pid : 0;
}

// Whether our child `pid` still runs; reaps it (and sets it to 0) once it has exited.
bool childRunning(pid_t& pid) {
  if (pid <= 0) return false;
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == 0) return true;
  pid = 0;
  return false;
}

// Whether a process that is not our child still runs (a zombie does not).
bool processRunning(pid_t pid) {
  std::string stat = readText("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

// SIGTERM, up to 10 s to go, then SIGKILL.
template <typename Running>
void terminate(pid_t pid, Running running) {
  ::kill(pid, SIGTERM);
  auto deadline = Clock::now() + 10s;
  while (running() && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
  if (!running()) return;
  ::kill(pid, SIGKILL);
  deadline = Clock::now() + 5s;
  while (running() && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
}

}  // namespace

SlurmCluster::SlurmCluster() : folder_(freshTempDir("slurm")), node_(hostName()) {}

SlurmCluster::~SlurmCluster() { stop(); }

std::map<std::string, std::string> SlurmCluster::environment() const {
  return {{"SLURM_CONF", configFile().string()}};
}

void SlurmCluster::exportEnvironment() const {
  for (const auto& [name, value] : environment()) qputenv(name.c_str(), value.c_str());
}

bool SlurmCluster::available(QString* whyNot) {
  if (!tried_) {
    tried_ = true;
    started_ = start(&whyNot_);
    if (!started_) stop();
  }
  if (whyNot) *whyNot = whyNot_;
  return started_;
}

bool SlurmCluster::start(QString* whyNot) {
  for (const char* daemon : {kMunged, kSlurmctld, kSlurmd}) {
    if (::access(daemon, X_OK) != 0) {
      *whyNot = QString(
                    "%1 is missing: install munge, slurmctld and slurmd "
                    "(apt-get install munge slurmctld slurmd slurm-client)")
                    .arg(daemon);
      return false;
    }
  }
  for (const char* command : kClientCommands) {
    if (!onPath(command)) {
      *whyNot = QString("%1 is not on PATH: install slurm-client").arg(command);
      return false;
    }
  }
  if (!writeConfig(whyNot)) return false;

  const fs::path munge = folder_ / "munge";
  if (!launch("munged",
              {kMunged, "-F", "--force", "--key-file=" + (munge / "munge.key").string(),
               "--socket=" + (munge / "munge.sock").string(),
               "--pid-file=" + (folder_ / "munged.pid").string(),
               "--seed-file=" + (munge / "munge.seed").string(),
               "--log-file=" + (folder_ / "log" / "munged.log").string()},
              whyNot)) {
    return false;
  }
  // Slurm's daemons need munged's socket at start; munged makes it within milliseconds.
  const auto deadline = Clock::now() + 10s;
  while (!fs::exists(munge / "munge.sock")) {
    if (Clock::now() >= deadline || !childRunning(children_["munged"])) {
      *whyNot = "munged did not open " + q(munge / "munge.sock") + " within 10 s:\n" + logs(10);
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
  const std::string config = configFile().string();
  if (!launch("slurmctld", {kSlurmctld, "-D", "-f", config}, whyNot) ||
      !launch("slurmd", {kSlurmd, "-D", "-f", config, "-N", node_}, whyNot)) {
    return false;
  }
  return waitUntilIdle(whyNot);
}

bool SlurmCluster::writeConfig(QString* whyNot) {
  const fs::path munge = folder_ / "munge";
  for (const fs::path& folder : {munge, folder_ / "state", folder_ / "spool", folder_ / "log"}) {
    fs::create_directories(folder);
  }
  ::chmod(munge.c_str(), 0700);  // munged refuses a key folder others can write to
  // Unix socket paths (munged's, slurmd's per-step sockets in the spool folder) are limited to
  // sizeof(sun_path) bytes.
  if ((folder_ / "spool" / (node_ + "_4294967295.4294967295")).string().size() >=
      sizeof(sockaddr_un::sun_path)) {
    *whyNot = "the temp folder " + q(folder_) +
              " is too long for Slurm's and munge's socket paths: set ASTRO_TEST_TMP to a shorter "
              "folder";
    return false;
  }
  {
    // A munge key is any 32 to 1024 random bytes, readable by the daemon's user only.
    std::random_device random;
    std::string key(1024, '\0');
    for (char& byte : key) byte = static_cast<char>(random());
    const fs::path keyFile = munge / "munge.key";
    std::ofstream(keyFile, std::ios::binary | std::ios::trunc) << key;
    ::chmod(keyFile.c_str(), 0600);
  }
  const std::string f = folder_.string();
  unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  std::ofstream out(configFile(), std::ios::trunc);
  out << "ClusterName=astro-test\n"
      << "SlurmctldHost=" << node_ << "(127.0.0.1)\n"
      << "SlurmUser=root\nSlurmdUser=root\n"
      << "SlurmctldPort=" << SshdServer::unusedPort() << "\n"
      << "SlurmdPort=" << SshdServer::unusedPort() << "\n"
      << "AuthType=auth/munge\nCredType=cred/munge\n"
      // cred_expire: how long a requeued job waits before it may run again (default 120 s).
      << "AuthInfo=socket=" << f << "/munge/munge.sock,cred_expire=5\n"
      << "StateSaveLocation=" << f << "/state\n"
      << "SlurmdSpoolDir=" << f << "/spool\n"
      << "SlurmctldPidFile=" << f << "/slurmctld.pid\n"
      << "SlurmdPidFile=" << f << "/slurmd.pid\n"
      << "SlurmctldLogFile=" << f << "/log/slurmctld.log\n"
      << "SlurmdLogFile=" << f << "/log/slurmd.log\n"
      << "SlurmctldDebug=info\nSlurmdDebug=info\n"
      << "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
      << "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
      << "ReturnToService=2\n"
      << "AccountingStorageType=accounting_storage/none\n"
      << "JobCompType=jobcomp/filetxt\nJobCompLoc=" << f << "/jobcomp.txt\n"
      << "JobAcctGatherType=jobacct_gather/none\n"
      << "MpiDefault=none\nSwitchType=switch/none\nMailProg=/bin/true\n"
      // The worker's checkpoint after scancel or requeue must fit in KillWait (SIGTERM, then
      // SIGKILL this much later).
      << "KillWait=30\n"
      << "SchedulerParameters=sched_interval=1\n"
      << "NodeName=" << node_ << " NodeAddr=127.0.0.1 CPUs=" << cpus << " State=UNKNOWN\n"
      << "PartitionName=" << partition() << " Nodes=" << node_
      << " Default=YES MaxTime=INFINITE State=UP\n";
  out.close();
  std::ofstream(folder_ / "cgroup.conf", std::ios::trunc) << "CgroupPlugin=autodetect\n";
  if (!out) {
    *whyNot = "cannot write " + q(configFile());
    return false;
  }
  return true;
}

bool SlurmCluster::launch(const std::string& name, const std::vector<std::string>& argv,
                          QString* whyNot) {
  const fs::path output = folder_ / "log" / (name + ".out");
  std::vector<std::string> environment;
  for (char** entry = ::environ; *entry; ++entry) {
    if (std::strncmp(*entry, "SLURM_CONF=", 11) != 0) environment.emplace_back(*entry);
  }
  environment.push_back("SLURM_CONF=" + configFile().string());
  std::vector<char*> args;
  for (const auto& argument : argv) args.push_back(const_cast<char*>(argument.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (const auto& entry : environment) env.push_back(const_cast<char*>(entry.c_str()));
  env.push_back(nullptr);

  int outFd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int nullFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (outFd < 0 || nullFd < 0) throw IoError(output.string(), "open", errno);
  pid_t pid = ::fork();
  if (pid == 0) {
    // The daemons must not outlive a test that crashes; only async-signal-safe calls from here.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    ::setpgid(0, 0);
    ::dup2(nullFd, STDIN_FILENO);
    ::dup2(outFd, STDOUT_FILENO);
    ::dup2(outFd, STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::execve(args[0], args.data(), env.data());
    ::_exit(127);
  }
  int forkError = errno;
  ::close(outFd);
  ::close(nullFd);
  if (pid < 0) throw IoError(argv[0], "fork", forkError);
  children_[name] = pid;
  // A daemon that cannot start (a bad config, a port in use) exits within a moment.
  std::this_thread::sleep_for(300ms);
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == pid) {
    children_[name] = 0;
    *whyNot = QString("%1 exited at start (status %2):\n%3")
                  .arg(QString::fromStdString(name))
                  .arg(WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status))
                  .arg(logs(15));
    return false;
  }
  return true;
}

bool SlurmCluster::waitUntilIdle(QString* whyNot) {
  const auto limit = 30s;
  const auto deadline = Clock::now() + limit;
  std::string state;
  for (;;) {
    try {
      auto result = remote::runProcess({"sinfo", "-h", "-n", node_, "-o", "%T"},
                                       {.timeout = 10s, .environment = environment()});
      state = result.ok() ? result.out : result.err;
      while (!state.empty() && std::isspace(static_cast<unsigned char>(state.back()))) {
        state.pop_back();
      }
      if (result.ok() && state == "idle") return true;
    } catch (const Error& error) {
      state = error.what();
    }
    for (const char* daemon : kDaemons) {
      if (!childRunning(children_[daemon])) {
        *whyNot = QString("%1 stopped while the node came up:\n%2").arg(daemon, logs(15));
        return false;
      }
    }
    if (Clock::now() >= deadline) {
      *whyNot = QString("node %1 not idle within %2 s (sinfo says '%3'):\n%4")
                    .arg(QString::fromStdString(node_))
                    .arg(std::chrono::seconds(limit).count())
                    .arg(QString::fromStdString(state), logs(15));
      return false;
    }
    std::this_thread::sleep_for(200ms);
  }
}

QString SlurmCluster::logs(int lines) const {
  QStringList parts;
  for (const char* name :
       {"munged.log", "munged.out", "slurmctld.log", "slurmctld.out", "slurmd.log", "slurmd.out"}) {
    const fs::path file = folder_ / "log" / name;
    if (!fs::exists(file)) continue;
    QString tail = lastLines(readText(file), lines);
    if (!tail.isEmpty()) parts << QString("== %1 ==\n%2").arg(q(file), tail);
  }
  return parts.isEmpty() ? QString("(no daemon logs in %1)").arg(q(folder_ / "log"))
                         : parts.join("\n");
}

void SlurmCluster::killQueuedJobs() {
  const auto env = environment();
  try {
    auto queued =
        remote::runProcess({"squeue", "-h", "-o", "%i"}, {.timeout = 10s, .environment = env});
    if (!queued.ok()) return;
    QStringList ids = QString::fromStdString(queued.out).split('\n', Qt::SkipEmptyParts);
    for (const QString& id : ids) {
      // SIGKILL to every process of the job at once (no KillWait), then the job itself.
      remote::runProcess({"scancel", "--full", "--signal=KILL", id.trimmed().toStdString()},
                         {.timeout = 10s, .environment = env});
      remote::runProcess({"scancel", id.trimmed().toStdString()},
                         {.timeout = 10s, .environment = env});
    }
    const auto deadline = Clock::now() + 15s;
    while (!ids.isEmpty() && Clock::now() < deadline) {
      auto left =
          remote::runProcess({"squeue", "-h", "-o", "%i"}, {.timeout = 10s, .environment = env});
      if (!left.ok() || QString::fromStdString(left.out).trimmed().isEmpty()) break;
      std::this_thread::sleep_for(200ms);
    }
  } catch (const Error&) {
    // The daemons are going away anyway.
  }
}

void SlurmCluster::stop() {
  if (childRunning(children_["slurmctld"])) killQueuedJobs();
  for (auto daemon = std::rbegin(kDaemons); daemon != std::rend(kDaemons); ++daemon) {
    // With -D the pid file holds the child launch() started; a daemon that forked on its own
    // would be found through the file alone.
    pid_t& child = children_[*daemon];
    pid_t fromFile = pidFromFile(folder_ / (std::string(*daemon) + ".pid"), *daemon);
    if (fromFile > 0 && fromFile != child) {
      terminate(fromFile, [fromFile] { return processRunning(fromFile); });
    }
    if (childRunning(child)) terminate(child, [&child] { return childRunning(child); });
  }
  started_ = false;
}

}  // namespace astro::test
