// shellQuote / shellCommandLine against real shells, no ssh: whatever bytes an argument holds
// (1-255), bash and dash parse the quoted command line back into exactly the arguments.
#include "core/remote/shell_quote.h"

#include <QProcess>
#include <QtTest>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using astro::remote::shellCommandLine;
using astro::remote::shellQuote;

namespace {

struct ShellRun {
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
};

// Runs `script` as the shell's input (a script on stdin parses as `sh -c` does, and carries
// every byte, which QProcess's QString arguments cannot for invalid UTF-8).
ShellRun runScript(const QString& shell, const std::string& script) {
  QProcess process;
  process.start(shell, {});
  ShellRun run;
  if (!process.waitForStarted(10000)) return run;
  process.write(QByteArray::fromStdString(script));
  process.closeWriteChannel();
  if (!process.waitForFinished(60000)) {
    process.kill();
    process.waitForFinished();
    return run;
  }
  run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
  run.out = process.readAllStandardOutput();
  run.err = process.readAllStandardError();
  return run;
}

QStringList shells() {
  QStringList found;
  for (const char* shell : {"/bin/bash", "/bin/dash", "/bin/sh"}) {
    std::error_code error;
    auto real = QString::fromStdString(std::filesystem::canonical(shell, error).string());
    if (!error && !found.contains(real)) found << real;  // /bin/sh is often dash
  }
  return found;
}

// Arguments that are mostly the characters shells care about, with any other byte mixed in.
std::string randomArgument(std::mt19937& random) {
  static const std::string kSpecial = " \t\n\r'\"\\$`;|&<>(){}[]*?~#!=%^,:@+-./";
  std::uniform_int_distribution<int> length(0, 24);
  std::uniform_int_distribution<int> coin(0, 1);
  std::uniform_int_distribution<int> special(0, static_cast<int>(kSpecial.size()) - 1);
  std::uniform_int_distribution<int> anyByte(1, 255);
  std::string argument;
  for (int n = length(random); n > 0; --n) {
    argument += coin(random) ? kSpecial[special(random)] : static_cast<char>(anyByte(random));
  }
  return argument;
}

std::string nulJoined(const std::vector<std::string>& arguments) {
  std::string joined;
  for (const auto& argument : arguments) joined += argument + '\0';
  return joined;
}

}  // namespace

class ShellQuoteTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void plainWords_stayUnquoted() {
    for (const std::string word : {"gpu-1", "/opt/astro/bin/astro", "--workspace=/data/runs",
                                   "user@host:22", "a,b+c%d", "run_7.toml", "-rf", "--"}) {
      QCOMPARE(shellQuote(word), word);
    }
    QCOMPARE(shellCommandLine({"/opt/astro", "run", "--on", "gpu-1"}),
             std::string("/opt/astro run --on gpu-1"));
  }

  void otherWords_areSingleQuoted() {
    QCOMPARE(shellQuote(""), std::string("''"));
    QCOMPARE(shellQuote("a b"), std::string("'a b'"));
    QCOMPARE(shellQuote("it's"), std::string("'it'\\''s'"));
    QCOMPARE(shellQuote("$(id)"), std::string("'$(id)'"));
    QCOMPARE(shellQuote("line1\nline2"), std::string("'line1\nline2'"));
    QCOMPARE(shellCommandLine({"printf", "%s", "a b", ""}), std::string("printf %s 'a b' ''"));
    QCOMPARE(shellCommandLine({}), std::string());
  }

  void randomByteStrings_roundTripThroughRealShells() {
    const auto seed = static_cast<unsigned>(QRandomGenerator::global()->generate());
    qInfo("seed %u", seed);
    std::mt19937 random(seed);
    constexpr int kBatches = 200;
    constexpr int kPerBatch = 25;
    for (const QString& shell : shells()) {
      for (int batch = 0; batch < kBatches; ++batch) {
        std::vector<std::string> arguments;
        for (int i = 0; i < kPerBatch; ++i) arguments.push_back(randomArgument(random));
        std::vector<std::string> argv = {"printf", "%s\\0"};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        auto run = runScript(shell, shellCommandLine(argv) + "\n");
        QVERIFY2(run.exitCode == 0, qPrintable(QString("%1 (seed %2): exit %3: %4")
                                                   .arg(shell)
                                                   .arg(seed)
                                                   .arg(run.exitCode)
                                                   .arg(QString::fromUtf8(run.err))));
        QVERIFY2(run.out.toStdString() == nulJoined(arguments),
                 qPrintable(QString("%1 (seed %2) changed an argument of batch %3")
                                .arg(shell)
                                .arg(seed)
                                .arg(batch)));
      }
    }
  }

  void everyByte_aloneAndInPairs_roundTrips() {
    std::vector<std::string> arguments;
    for (int c = 1; c < 256; ++c) {
      arguments.push_back(std::string(1, static_cast<char>(c)));
      arguments.push_back(std::string(1, static_cast<char>(c)) + "'" +
                          std::string(1, static_cast<char>(c)));
    }
    std::vector<std::string> argv = {"printf", "%s\\0"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    for (const QString& shell : shells()) {
      auto run = runScript(shell, shellCommandLine(argv) + "\n");
      QCOMPARE(run.exitCode, 0);
      QVERIFY2(run.out.toStdString() == nulJoined(arguments), qPrintable(shell));
    }
  }

  void programWord_isAlwaysTheProgram() {
    // The first word is where a shell looks for assignments (NAME=value) and reserved words (if,
    // while): neither may apply to a program name taken from a profile. (bash takes a command
    // name starting with '%' as a job even when quoted, so no quoting can help there.)
    QStringList misread;
    for (const std::string program : {"ASTRO=x", "if", "while", "until", "{", "!"}) {
      for (const QString& shell : shells()) {
        const std::string line = shellCommandLine({program, "--version"});
        auto run = runScript(shell, line + "\n");
        // Not found, by its own name: "bash: line 1: if: command not found", "dash: 1: if: not
        // found" (an assignment would report "--version" instead).
        if (run.exitCode != 127 || !run.err.contains(QByteArray::fromStdString(program + ": "))) {
          misread << shell + " ran `" + QString::fromStdString(line) + "`: exit " +
                         QString::number(run.exitCode) + ": " +
                         QString::fromUtf8(run.err.trimmed());
        }
      }
    }
    QVERIFY2(misread.isEmpty(), qPrintable(misread.join("\n")));
  }
};

QTEST_GUILESS_MAIN(ShellQuoteTest)
#include "shell_quote_test.moc"
