// Short `astro` commands (a config check, a host check, an artifact fetch) run as a QProcess that
// never blocks the GUI thread: the caller gets one callback with what the command printed, or why
// it could not start, and may drop a command whose answer is no longer wanted.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QProcess;

namespace astro::gui {

struct CommandOutput {
  bool started = false;  // false: the program could not be started (`errors` says why)
  int exitCode = -1;
  bool crashed = false;
  QByteArray output;  // stdout
  QString errors;     // stderr, all of it
};

struct CommandCallbacks {
  std::function<void(const CommandOutput&)> finished;  // once, on the context's thread
  std::function<void(const QString&)> errorLine;       // each stderr line as it comes (optional)
};

// Starts `program arguments` as a child of `context`, which deletes it after `finished`. The
// process is returned so that the caller can write its stdin or drop it.
QProcess* startCommand(const QString& program, const QStringList& arguments, QObject* context,
                       CommandCallbacks callbacks);
// Kills a command whose answer is no longer wanted; its `finished` is not called.
void dropCommand(QProcess* process);
// Drops every command still running under `context` (for its destructor).
void dropCommands(QObject* context);

}  // namespace astro::gui
