// Helpers every suite shares: fresh temp folders, the optional ../shared/data files, and running
// the built `astro` program.
#pragma once

#include <QString>
#include <QStringList>
#include <filesystem>
#include <optional>
#include <string>

namespace astro::test {

// A new empty folder under the build tree's test-tmp/ (or $ASTRO_TEST_TMP), unique per call. The
// test process removes its folders when it exits (ASTRO_KEEP_TEST_TMP=1 keeps them), and the
// first call removes those of test processes that are gone without doing so.
std::filesystem::path freshTempDir(const QString& name);

// ../shared/data/<relative>, or nullopt when absent; `skipMessage` receives the text to QSKIP with
// (it says where to get the file).
std::optional<std::filesystem::path> sharedDataFile(const QString& relative, QString* skipMessage);

struct ProcessResult {
  int exitCode = -1;
  bool crashed = false;
  QString out;
  QString err;
};
ProcessResult runProgram(const QString& program, const QStringList& arguments,
                         int timeoutMs = 120000, const QByteArray& input = {});

// A path as a program argument.
inline QString qpath(const std::filesystem::path& path) {
  return QString::fromStdString(path.string());
}

// The bytes of `file` ("" when it cannot be read).
std::string readWholeFile(const std::filesystem::path& file);

}  // namespace astro::test

// QSKIP when a ../shared/data file is missing; binds `var` to its path otherwise.
#define ASTRO_REQUIRE_SHARED_FILE(var, relative)                                  \
  std::filesystem::path var;                                                      \
  {                                                                               \
    QString skipMessage_;                                                         \
    auto found_ = astro::test::sharedDataFile(relative, &skipMessage_);           \
    if (!found_) QSKIP(qPrintable(skipMessage_));                                 \
    var = *found_;                                                                \
  }
