#include "tests/support/test_support.h"

#include <QProcess>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <iterator>
#include <mutex>
#include <unistd.h>
#include <vector>

namespace astro::test {

std::string readWholeFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

namespace {

std::filesystem::path tempRoot() {
  const char* root = std::getenv("ASTRO_TEST_TMP");
  return root && *root ? root : ASTRO_BINARY_DIR "/test-tmp";
}

// The pid in a folder name "<name>-<pid>-<n>", or 0 when the name has another shape.
pid_t ownerPid(const std::string& folder) {
  const auto last = folder.rfind('-');
  if (last == std::string::npos || last == 0) return 0;
  const auto before = folder.rfind('-', last - 1);
  if (before == std::string::npos) return 0;
  const std::string pid = folder.substr(before + 1, last - before - 1);
  const std::string counter = folder.substr(last + 1);
  const auto digits = [](const std::string& text) {
    return !text.empty() && text.size() < 10 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(pid) && digits(counter) ? static_cast<pid_t>(std::stol(pid)) : 0;
}

// Folders of test processes that died without cleaning up (killed, crashed, aborted).
void removeOrphans(const std::filesystem::path& root) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
    const pid_t pid = ownerPid(entry.path().filename().string());
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) == -1 && errno == ESRCH) std::filesystem::remove_all(entry.path(), error);
  }
}

// Every folder this process made, removed when it exits normally unless ASTRO_KEEP_TEST_TMP is
// set. Each suite run used to leave its folders behind, and they filled the disk (34 GB).
class TempFolders {
 public:
  ~TempFolders() {
    if (::getpid() != owner_) return;  // a forked child exiting must not take its parent's
    const char* keep = std::getenv("ASTRO_KEEP_TEST_TMP");
    if (keep && *keep && std::string(keep) != "0") return;
    std::error_code error;
    for (const auto& dir : made_) std::filesystem::remove_all(dir, error);
  }

  std::filesystem::path make(const QString& name) {
    std::lock_guard lock(mutex_);
    const auto root = tempRoot();
    if (made_.empty()) removeOrphans(root);
    auto dir = root / (name.toStdString() + "-" + std::to_string(owner_) + "-" +
                       std::to_string(made_.size()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    made_.push_back(dir);
    return dir;
  }

 private:
  std::mutex mutex_;
  pid_t owner_ = ::getpid();
  std::vector<std::filesystem::path> made_;
};

}  // namespace

std::filesystem::path freshTempDir(const QString& name) {
  static TempFolders folders;
  return folders.make(name);
}

std::optional<std::filesystem::path> sharedDataFile(const QString& relative,
                                                    QString* skipMessage) {
  const char* overridden = std::getenv("ASTRO_SHARED_DATA");
  std::filesystem::path base = overridden && *overridden ? overridden : ASTRO_SHARED_DATA;
  auto path = base / relative.toStdString();
  if (std::filesystem::exists(path)) return path;
  if (skipMessage) {
    *skipMessage = QString("%1 is absent: place the project's shared data folder beside the "
                           "checkout (../shared/data, see its README.md for each file's source) "
                           "or set ASTRO_SHARED_DATA")
                       .arg(QString::fromStdString(path.string()));
  }
  return std::nullopt;
}

ProcessResult runProgram(const QString& program, const QStringList& arguments, int timeoutMs,
                         const QByteArray& input) {
  QProcess process;
  process.start(program, arguments);
  ProcessResult result;
  if (!process.waitForStarted(10000)) {
    result.err = "could not start " + program;
    return result;
  }
  if (!input.isEmpty()) process.write(input);
  process.closeWriteChannel();
  if (!process.waitForFinished(timeoutMs)) {
    process.kill();
    process.waitForFinished();
    result.err = "timed out";
    return result;
  }
  result.crashed = process.exitStatus() == QProcess::CrashExit;
  result.exitCode = process.exitCode();
  result.out = QString::fromUtf8(process.readAllStandardOutput());
  result.err = QString::fromUtf8(process.readAllStandardError());
  return result;
}

}  // namespace astro::test
