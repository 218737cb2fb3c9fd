// Probing plugins in child processes (plugin_probe.h): posix_spawn, one pipe per child read with
// poll() until each child closes it, then the exit status decides: a result line, a signal, or
// an exit without a result.
#include "core/plugin/plugin_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

extern char** environ;

namespace astro::plugin {

namespace {

using Clock = std::chrono::steady_clock;

struct ProbeProcess {
  pid_t pid = -1;
  int output = -1;        // read end of the child's stdout; -1 once closed
  std::string received;   // everything the child wrote
  bool finished = false;  // exit status collected (or never started)
  int waitStatus = 0;
};

std::string signalName(int signal) {
  const char* abbreviation = sigabbrev_np(signal);
  if (abbreviation == nullptr) return "signal " + std::to_string(signal);
  return std::string("SIG") + abbreviation;
}

// Starts `probe path` with stdout on a fresh pipe and stderr discarded (a crashing plugin's
// messages are not the report; the refusal says what happened). The pipe is close-on-exec, so
// the other probes started beside it do not inherit it and its end-of-file comes when this child
// exits. On failure, sets `refusal`.
ProbeProcess start(const std::filesystem::path& probe, const std::filesystem::path& path,
                   std::string& refusal) {
  ProbeProcess process;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    refusal = std::string("cannot probe: pipe: ") + std::strerror(errno);
    process.finished = true;
    return process;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const std::string probeText = probe.string();
  const std::string pathText = path.string();
  char* argv[] = {const_cast<char*>(probeText.c_str()), const_cast<char*>(pathText.c_str()),
                  nullptr};
  const int error = posix_spawn(&process.pid, probeText.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (error != 0) {
    close(fds[0]);
    refusal = "cannot probe: cannot run " + probeText + ": " + std::strerror(error);
    process.finished = true;
    return process;
  }
  process.output = fds[0];
  return process;
}

// Reads what is there; closes the pipe at end-of-file (or on a read error).
void drain(ProbeProcess& process) {
  char buffer[4096];
  const ssize_t count = read(process.output, buffer, sizeof buffer);
  if (count > 0) {
    process.received.append(buffer, static_cast<std::size_t>(count));
  } else if (count == 0 || (errno != EINTR && errno != EAGAIN)) {
    close(process.output);
    process.output = -1;
  }
}

bool collect(ProbeProcess& process, int options) {
  if (process.finished) return true;
  pid_t done;
  do {
    done = waitpid(process.pid, &process.waitStatus, options);
  } while (done < 0 && errno == EINTR);
  if (done == process.pid || done < 0) process.finished = true;
  return process.finished;
}

// The last {"stage"} and the {"result"} the child sent.
ProbeResult interpret(const ProbeProcess& process, int timeoutMs, bool killed) {
  ProbeResult result;
  std::string stage = "starting";
  bool hasResult = false;
  std::istringstream lines(process.received);
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json message = nlohmann::json::parse(line, nullptr, false);
    if (!message.is_object()) continue;
    if (message.contains("stage") && message["stage"].is_string()) {
      stage = message["stage"].get<std::string>();
    }
    if (message.contains("result") && message["result"].is_object()) {
      const nlohmann::json& body = message["result"];
      result.manifest.apiVersion = body.value("api_version", 0u);
      result.manifest.name = body.value("name", "");
      result.manifest.version = body.value("version", "");
      result.manifest.description = body.value("description", "");
      result.manifest.provides = body.value("provides", "");
      result.registered = body.value("registered", std::vector<std::string>{});
      result.refusal = body.value("refusal", "");
      hasResult = true;
    }
  }
  if (killed) {
    result.refusal =
        "hung while " + stage + ": no answer within " + std::to_string(timeoutMs) + " ms; stopped";
  } else if (WIFSIGNALED(process.waitStatus)) {
    result.refusal = "crashed while " + stage + ": " + signalName(WTERMSIG(process.waitStatus));
  } else if (!hasResult) {
    const int status = WIFEXITED(process.waitStatus) ? WEXITSTATUS(process.waitStatus) : -1;
    result.refusal = "exited with status " + std::to_string(status) + " while " + stage;
  }
  return result;
}

}  // namespace

std::vector<ProbeResult> probePlugins(const std::vector<std::filesystem::path>& paths,
                                      const std::filesystem::path& probe, int timeoutMs) {
  std::vector<ProbeResult> results(paths.size());
  std::vector<ProbeProcess> processes;
  processes.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    processes.push_back(start(probe, paths[i], results[i].refusal));
  }
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);

  // Read every pipe until end-of-file or the deadline.
  for (;;) {
    std::vector<pollfd> watched;
    std::vector<ProbeProcess*> owners;
    for (ProbeProcess& process : processes) {
      if (process.output >= 0) {
        watched.push_back({process.output, POLLIN, 0});
        owners.push_back(&process);
      }
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (watched.empty() || left <= 0) break;
    const int ready = poll(watched.data(), watched.size(), static_cast<int>(left));
    if (ready < 0 && errno != EINTR) break;
    for (std::size_t i = 0; i < watched.size(); ++i) {
      if (watched[i].revents != 0) drain(*owners[i]);
    }
  }
  // A child that closed its pipe exits at once; one that is still running at the deadline (or
  // closed its stdout and went on) hangs: kill it.
  for (std::size_t i = 0; i < processes.size(); ++i) {
    ProbeProcess& process = processes[i];
    if (process.pid < 0) continue;  // never started; `results[i]` says why
    bool killed = false;
    while (!collect(process, WNOHANG)) {
      if (Clock::now() >= deadline) {
        kill(process.pid, SIGKILL);
        collect(process, 0);
        killed = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (process.output >= 0) close(process.output);
    results[i] = interpret(process, timeoutMs, killed);
  }
  return results;
}

}  // namespace astro::plugin
