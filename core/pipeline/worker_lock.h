// One worker per run, across processes: the worker holds an exclusive flock(2) on the run's
// lock file (runs/<id>/worker.lock) and writes its pid into it. The kernel drops the lock when
// the process dies, SIGKILL included, so a stale lock never blocks `astro resume`; and anyone can
// ask who holds it (for `astro cancel` and for showing a dead "running" run as interrupted).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>

namespace astro::pipeline {

class WorkerLock {
 public:
  // Creates the file's folder and takes the lock; throws astro::Error "<what> is already being
  // worked on by process <pid>" when another process holds it.
  static WorkerLock acquire(const std::filesystem::path& lockFile, const std::string& what);

  WorkerLock(WorkerLock&& other) noexcept;
  WorkerLock& operator=(WorkerLock&& other) noexcept;
  WorkerLock(const WorkerLock&) = delete;
  WorkerLock& operator=(const WorkerLock&) = delete;
  ~WorkerLock();  // releases the lock

 private:
  explicit WorkerLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// The pid of the process holding the lock, or nullopt when none does (or no file exists).
std::optional<pid_t> lockHolder(const std::filesystem::path& lockFile);

}  // namespace astro::pipeline
