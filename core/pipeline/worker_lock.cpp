// The per-run worker lock (worker_lock.h).
#include "core/pipeline/worker_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::pipeline {

namespace {

std::optional<pid_t> readPid(int fd) {
  char buffer[32] = {};
  ssize_t size = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
  if (size <= 0) return std::nullopt;
  try {
    return static_cast<pid_t>(std::stol(std::string(buffer, static_cast<std::size_t>(size))));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

WorkerLock WorkerLock::acquire(const std::filesystem::path& lockFile, const std::string& what) {
  std::filesystem::create_directories(lockFile.parent_path());
  int fd = ::open(lockFile.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError(lockFile.string(), "open", errno);
  // lockHolder() takes a shared lock for a moment: retry briefly before calling the run busy.
  int attempts = 0;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK && ++attempts < 50) {
      ::usleep(10'000);
      continue;
    }
    int error = errno;
    std::optional<pid_t> holder = error == EWOULDBLOCK ? readPid(fd) : std::nullopt;
    ::close(fd);
    if (error != EWOULDBLOCK) throw IoError(lockFile.string(), "lock", error);
    throw Error(what + " is already being worked on by process " +
                (holder ? std::to_string(*holder) : std::string("(unknown pid)")));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0) {
    int error = errno;
    ::close(fd);
    throw IoError(lockFile.string(), "truncate", error);
  }
  writeAll(fd, pid.data(), pid.size(), lockFile);
  return WorkerLock(fd);
}

WorkerLock::WorkerLock(WorkerLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

WorkerLock& WorkerLock::operator=(WorkerLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

WorkerLock::~WorkerLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

std::optional<pid_t> lockHolder(const std::filesystem::path& lockFile) {
  int fd = ::open(lockFile.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<pid_t> holder;
  int result = 0;
  while ((result = ::flock(fd, LOCK_SH | LOCK_NB)) != 0 && errno == EINTR) {
  }
  if (result != 0 && errno == EWOULDBLOCK) {
    holder = readPid(fd);
    if (!holder) holder = 0;  // held, pid not written yet
  }
  ::close(fd);  // releases the shared lock when we got it
  return holder;
}

}  // namespace astro::pipeline
