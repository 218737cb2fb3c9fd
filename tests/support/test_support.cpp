#include "tests/support/test_support.h"

#include <QProcess>
#include <atomic>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace astro::test {

std::string readWholeFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::filesystem::path freshTempDir(const QString& name) {
  static std::atomic<int> counter{0};
  const char* root = std::getenv("ASTRO_TEST_TMP");
  std::filesystem::path base = root && *root ? root : ASTRO_BINARY_DIR "/test-tmp";
  auto dir = base / (name.toStdString() + "-" + std::to_string(::getpid()) + "-" +
                     std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
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
