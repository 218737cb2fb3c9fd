#include "core/base/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <random>
#include <sstream>

#include "core/base/error.h"

namespace astro {

void writeAll(int fd, const void* data, std::size_t size, const std::filesystem::path& path) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t written = ::write(fd, bytes, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw IoError(path.string(), "write", errno);
    }
    bytes += written;
    size -= std::size_t(written);
  }
}

void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(int fd)>& write) {
  std::filesystem::path folder = path.parent_path().empty() ? "." : path.parent_path();
  std::random_device entropy;
  std::filesystem::path temp =
      folder / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                std::to_string(entropy()));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError(temp.string(), "create", errno);
  try {
    write(fd);
    if (::fsync(fd) != 0) throw IoError(temp.string(), "fsync", errno);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    throw IoError(temp.string(), "close", error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    throw IoError(path.string(), "rename into place", error);
  }
  int folderFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folderFd >= 0) {
    ::fsync(folderFd);
    ::close(folderFd);
  }
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
  writeFileAtomically(path, [&](int fd) { writeAll(fd, bytes.data(), bytes.size(), path); });
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string(), "open", errno);
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw IoError(path.string(), "read", errno);
  return content.str();
}

}  // namespace astro
