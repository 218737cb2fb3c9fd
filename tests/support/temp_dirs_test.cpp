// freshTempDir's folders go away with the test process that made them: when it exits normally
// (unless ASTRO_KEEP_TEST_TMP is set), or, when it was killed, at the next test process's first
// call. The checks run this executable again as the child whose folders are watched.
#include <sys/wait.h>
#include <unistd.h>

#include <QProcess>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using astro::test::freshTempDir;
using astro::test::qpath;

// Runs this executable's child_makeFolders with ASTRO_TEST_TMP = root; returns the folders the
// child printed, one per line.
QStringList runChild(const fs::path& root, bool keep = false) {
  QProcess child;
  auto environment = QProcessEnvironment::systemEnvironment();
  environment.insert("ASTRO_TEST_TMP", qpath(root));
  environment.insert("ASTRO_CHILD_RUN", "1");
  if (keep)
    environment.insert("ASTRO_KEEP_TEST_TMP", "1");
  else
    environment.remove("ASTRO_KEEP_TEST_TMP");
  child.setProcessEnvironment(environment);
  child.start(QCoreApplication::applicationFilePath(), {"child_makeFolders"});
  if (!child.waitForFinished(60000) || child.exitCode() != 0) {
    qWarning() << child.readAllStandardError();
    return {};
  }
  QStringList folders;
  for (const QString& line : QString::fromUtf8(child.readAllStandardOutput()).split('\n')) {
    if (line.startsWith("folder ")) folders << line.mid(7);
  }
  return folders;
}

// A pid that no process has now: a child that has exited and been reaped.
pid_t deadPid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

}  // namespace

class TempDirsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The child: two folders with a file each, their paths on stdout.
  void child_makeFolders() {
    if (qEnvironmentVariableIsEmpty("ASTRO_CHILD_RUN")) QSKIP("runs as the other tests' child");
    for (const char* name : {"first", "second"}) {
      const fs::path dir = freshTempDir(name);
      std::ofstream(dir / "data.bin") << "bytes";
      std::printf("folder %s\n", dir.c_str());
    }
    std::fflush(stdout);
  }

  void foldersGoAwayWhenTheProcessExits() {
    const fs::path root = freshTempDir("root");
    const QStringList folders = runChild(root);
    QCOMPARE(folders.size(), 2);
    QVERIFY(folders[0] != folders[1]);
    for (const QString& folder : folders) {
      QVERIFY2(folder.startsWith(qpath(root)), qPrintable(folder));
      QVERIFY2(!fs::exists(folder.toStdString()), qPrintable(folder + " is still there"));
    }
  }

  void keepSwitchKeepsThem() {
    const fs::path root = freshTempDir("root-keep");
    const QStringList folders = runChild(root, true);
    QCOMPARE(folders.size(), 2);
    for (const QString& folder : folders) {
      QVERIFY(fs::exists(fs::path(folder.toStdString()) / "data.bin"));
    }
  }

  // A killed test process leaves its folders; the next one removes them, and nothing else: not a
  // live process's folders, not folders of another shape.
  void foldersOfGoneProcessesAreRemovedNextTime() {
    const fs::path root = freshTempDir("root-orphans");
    const auto orphan = root / ("killed-run-" + std::to_string(deadPid()) + "-3");
    const auto live = root / ("live-" + std::to_string(::getpid()) + "-0");
    const auto other = root / "screenshots";
    const auto otherShape = root / ("name-" + std::to_string(deadPid()));
    for (const auto& dir : {orphan, live, other, otherShape}) fs::create_directories(dir / "sub");
    QCOMPARE(runChild(root).size(), 2);
    QVERIFY(!fs::exists(orphan));
    QVERIFY(fs::exists(live / "sub"));
    QVERIFY(fs::exists(other / "sub"));
    QVERIFY(fs::exists(otherShape / "sub"));
  }
};

QTEST_GUILESS_MAIN(TempDirsTest)
#include "temp_dirs_test.moc"
