// Child processes from argument vectors (fork + execvp, no shell): run one to completion with its
// output captured, or start one and read its stdout line by line as it comes. Used for ssh,
// sbatch, squeue and tar; nothing here goes through /bin/sh.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace astro::remote {

struct ProcessOptions {
  std::string input;                           // written to stdin, then closed
  std::optional<std::filesystem::path> inputFile;  // stdin from a file instead
  std::optional<std::filesystem::path> outputFile;  // stdout into this file (not captured)
  std::chrono::milliseconds timeout{0};        // 0: none; past it the child is killed
  std::map<std::string, std::string> environment;  // added to (or replacing in) ours
};

struct ProcessResult {
  int exitCode = -1;  // -1 when killed by a signal
  int signal = 0;
  bool timedOut = false;
  std::string out;
  std::string err;
  bool ok() const { return exitCode == 0; }
};

// Throws Error when the program cannot be started at all (not found, not executable).
ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// A running child whose stdout is read line by line; stderr is collected (last 64 KiB).
class ProcessStream {
 public:
  // Starts argv; stdin gets /dev/null. Throws Error when it cannot start.
  explicit ProcessStream(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& environment = {});
  ~ProcessStream();  // kills (SIGTERM, then SIGKILL) and reaps a child still running
  ProcessStream(const ProcessStream&) = delete;
  ProcessStream& operator=(const ProcessStream&) = delete;

  // The next complete line (without '\n'); nullopt at end of output. Waits at most `timeout`
  // (0: forever); a timeout returns nullopt with timedOut() true.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout = {});
  bool timedOut() const { return timedOut_; }
  // Whether the output ended inside a line (that partial line is never returned).
  bool truncated() const { return truncated_; }
  // Waits for the child (after its stdout closed) and returns its status and stderr.
  ProcessResult finish();
  void kill();
  pid_t pid() const { return pid_; }

 private:
  void drainStderr(bool block);
  pid_t pid_ = -1;
  int outFd_ = -1;
  int errFd_ = -1;
  std::string buffer_;
  std::string err_;
  bool eof_ = false;
  bool timedOut_ = false;
  bool truncated_ = false;
  std::optional<ProcessResult> finished_;
};

// A file in $TMPDIR (else /tmp) made with mkstemp and removed when this goes: where a tar stream
// waits between tar and ssh, so no local shell pipeline is needed.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::string& stem);  // throws IoError
  ~TemporaryFile();
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace astro::remote
