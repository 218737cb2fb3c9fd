// Child processes without a shell (process.h): fork + execvp with pipes, poll(2) for output and
// timeouts. The child learns of an exec failure through a close-on-exec pipe, so a missing program
// is an error here rather than an exit status 127 that looks like the program's own.
#include "core/remote/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/base/error.h"

extern char** environ;

namespace astro::remote {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kErrTail = 64 * 1024;

struct Pipe {
  int read = -1;
  int write = -1;
};

Pipe makePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw IoError("pipe", "create", errno);
  return {fds[0], fds[1]};
}

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> result;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string item(*entry);
    auto equals = item.find('=');
    if (equals != std::string::npos && extra.count(item.substr(0, equals))) continue;
    result.push_back(std::move(item));
  }
  for (const auto& [key, value] : extra) result.push_back(key + "=" + value);
  return result;
}

struct Spawned {
  pid_t pid = -1;
  int in = -1;
  int out = -1;
  int err = -1;
};

// stdin: a pipe (`pipeInput`), a file, or /dev/null.
Spawned spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              bool pipeInput, const std::optional<std::filesystem::path>& inputFile,
              const std::optional<std::filesystem::path>& outputFile = std::nullopt) {
  if (argv.empty()) throw Error("no program to run");
  int inputFd = -1;
  if (inputFile) {
    inputFd = ::open(inputFile->c_str(), O_RDONLY | O_CLOEXEC);
    if (inputFd < 0) throw IoError(inputFile->string(), "open", errno);
  }
  int outputFd = -1;
  if (outputFile) {
    outputFd = ::open(outputFile->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (outputFd < 0) {
      if (inputFd >= 0) ::close(inputFd);
      throw IoError(outputFile->string(), "create", errno);
    }
  }
  Pipe in = pipeInput ? makePipe() : Pipe{};
  Pipe out = outputFile ? Pipe{} : makePipe();
  Pipe err = makePipe();
  Pipe status = makePipe();
  std::vector<std::string> environment = mergedEnvironment(env);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) throw IoError(argv[0], "fork", errno);
  if (pid == 0) {
    int stdinFd = pipeInput ? in.read : inputFd;
    if (stdinFd < 0) stdinFd = ::open("/dev/null", O_RDONLY);
    ::dup2(stdinFd, STDIN_FILENO);
    ::dup2(outputFd >= 0 ? outputFd : out.write, STDOUT_FILENO);
    ::dup2(err.write, STDERR_FILENO);
    ::signal(SIGPIPE, SIG_DFL);
    ::execvpe(args[0], args.data(), envp.data());
    int code = errno;
    (void)!::write(status.write, &code, sizeof code);
    ::_exit(127);
  }
  closeFd(inputFd);
  closeFd(outputFd);
  closeFd(in.read);
  closeFd(out.write);
  closeFd(err.write);
  closeFd(status.write);
  int code = 0;
  ssize_t got;
  do {
    got = ::read(status.read, &code, sizeof code);
  } while (got < 0 && errno == EINTR);
  closeFd(status.read);
  if (got == sizeof code) {
    ::waitpid(pid, nullptr, 0);
    closeFd(in.write);
    closeFd(out.read);
    closeFd(err.read);
    throw Error("cannot run " + argv[0] + ": " + std::strerror(code));
  }
  return {pid, in.write, out.read, err.read};
}

void decodeStatus(int status, ProcessResult& result) {
  if (WIFEXITED(status)) {
    result.exitCode = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exitCode = -1;
    result.signal = WTERMSIG(status);
  }
}

void appendTail(std::string& target, const char* data, std::size_t size) {
  target.append(data, size);
  if (target.size() > 2 * kErrTail) target.erase(0, target.size() - kErrTail);
}

int remainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

void killAndReap(pid_t pid) {
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return;
    ::usleep(20000);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  bool pipeInput = !options.inputFile.has_value();
  Spawned child =
      spawn(argv, options.environment, pipeInput, options.inputFile, options.outputFile);
  ProcessResult result;
  std::size_t written = 0;
  if (pipeInput && options.input.empty()) closeFd(child.in);
  if (child.in >= 0) ::fcntl(child.in, F_SETFL, O_NONBLOCK);
  auto deadline = Clock::now() + options.timeout;
  bool limited = options.timeout.count() > 0;
  char buffer[65536];
  while (child.out >= 0 || child.err >= 0) {
    pollfd fds[3];
    int count = 0;
    if (child.out >= 0) fds[count++] = {child.out, POLLIN, 0};
    if (child.err >= 0) fds[count++] = {child.err, POLLIN, 0};
    if (child.in >= 0) fds[count++] = {child.in, POLLOUT, 0};
    int ready = ::poll(fds, count, limited ? remainingMs(deadline) : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0 && limited) {
      result.timedOut = true;
      closeFd(child.in);
      closeFd(child.out);
      closeFd(child.err);
      killAndReap(child.pid);
      result.exitCode = -1;
      result.signal = SIGKILL;
      return result;
    }
    for (int i = 0; i < count; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == child.in) {
        ssize_t n = ::write(child.in, options.input.data() + written,
                            options.input.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 && errno != EAGAIN && errno != EINTR) written = options.input.size();
        if (written >= options.input.size()) closeFd(child.in);
        continue;
      }
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (fds[i].fd == child.out) closeFd(child.out); else closeFd(child.err);
        continue;
      }
      if (fds[i].fd == child.out) {
        result.out.append(buffer, static_cast<std::size_t>(n));
      } else {
        appendTail(result.err, buffer, static_cast<std::size_t>(n));
      }
    }
  }
  closeFd(child.in);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  decodeStatus(status, result);
  return result;
}

ProcessStream::ProcessStream(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environment) {
  Spawned child = spawn(argv, environment, false, std::nullopt);
  pid_ = child.pid;
  outFd_ = child.out;
  errFd_ = child.err;
  ::fcntl(errFd_, F_SETFL, O_NONBLOCK);
}

ProcessStream::~ProcessStream() {
  if (!finished_ && pid_ > 0) kill();
  closeFd(outFd_);
  closeFd(errFd_);
}

void ProcessStream::drainStderr(bool block) {
  char buffer[8192];
  while (errFd_ >= 0) {
    if (block) {
      pollfd fd{errFd_, POLLIN, 0};
      if (::poll(&fd, 1, 2000) <= 0) return;
    }
    ssize_t n = ::read(errFd_, buffer, sizeof buffer);
    if (n > 0) {
      appendTail(err_, buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) closeFd(errFd_);
    return;
  }
}

std::optional<std::string> ProcessStream::readLine(std::chrono::milliseconds timeout) {
  timedOut_ = false;
  auto deadline = Clock::now() + timeout;
  char buffer[65536];
  while (true) {
    auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (eof_ || outFd_ < 0) {
      // A last line without '\n' is a line cut short (the link dropped mid-write): not a line.
      truncated_ = !buffer_.empty();
      buffer_.clear();
      return std::nullopt;
    }
    pollfd fds[2] = {{outFd_, POLLIN, 0}, {errFd_, POLLIN, 0}};
    int count = errFd_ >= 0 ? 2 : 1;
    int wait = timeout.count() > 0 ? remainingMs(deadline) : -1;
    int ready = ::poll(fds, count, wait);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      timedOut_ = true;
      return std::nullopt;
    }
    if (count == 2 && fds[1].revents) drainStderr(false);
    if (fds[0].revents) {
      ssize_t n = ::read(outFd_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        eof_ = true;
      } else {
        buffer_.append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
}

ProcessResult ProcessStream::finish() {
  if (finished_) return *finished_;
  closeFd(outFd_);
  drainStderr(true);
  ProcessResult result;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  decodeStatus(status, result);
  result.err = err_;
  finished_ = result;
  return result;
}

void ProcessStream::kill() {
  if (finished_ || pid_ <= 0) return;
  closeFd(outFd_);
  killAndReap(pid_);
  drainStderr(false);
  ProcessResult result;
  result.exitCode = -1;
  result.signal = SIGTERM;
  result.err = err_;
  finished_ = result;
}

TemporaryFile::TemporaryFile(const std::string& stem) {
  const char* folder = std::getenv("TMPDIR");
  std::string pattern =
      std::string(folder && *folder ? folder : "/tmp") + "/" + stem + "-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) throw IoError(pattern, "create", errno);
  ::close(fd);
  path_ = name.data();
}

TemporaryFile::~TemporaryFile() { ::unlink(path_.c_str()); }

}  // namespace astro::remote
