// Short astro CLI commands as QProcesses (cli_command.h).
#include "gui/common/cli_command.h"

#include <QProcess>
#include <memory>

namespace astro::gui {

QProcess* startCommand(const QString& program, const QStringList& arguments, QObject* context,
                       CommandCallbacks callbacks) {
  auto* process = new QProcess(context);
  auto errors = std::make_shared<QByteArray>();  // stderr read so far, whole lines handed out
  auto handed = std::make_shared<qsizetype>(0);
  auto readErrors = [process, errors, handed, errorLine = callbacks.errorLine] {
    errors->append(process->readAllStandardError());
    if (!errorLine) return;
    qsizetype newline;
    while ((newline = errors->indexOf('\n', *handed)) >= 0) {
      errorLine(QString::fromUtf8(errors->mid(*handed, newline - *handed)));
      *handed = newline + 1;
    }
  };
  QObject::connect(process, &QProcess::readyReadStandardError, context, readErrors);
  QObject::connect(process, &QProcess::finished, context,
                   [process, errors, readErrors, finished = callbacks.finished](
                       int exitCode, QProcess::ExitStatus status) {
                     process->deleteLater();
                     readErrors();
                     if (!finished) return;
                     finished({.started = true,
                               .exitCode = exitCode,
                               .crashed = status == QProcess::CrashExit,
                               .output = process->readAllStandardOutput(),
                               .errors = QString::fromUtf8(*errors)});
                   });
  QObject::connect(
      process, &QProcess::errorOccurred, context,
      [process, program, finished = callbacks.finished](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) return;
        process->deleteLater();
        if (!finished) return;
        finished(
            {.errors = QObject::tr("cannot start %1: %2").arg(program, process->errorString())});
      });
  process->start(program, arguments);
  return process;
}

void dropCommand(QProcess* process) {
  if (!process) return;
  process->disconnect();
  process->kill();
  process->deleteLater();
}

void dropCommands(QObject* context) {
  for (QProcess* process : context->findChildren<QProcess*>(Qt::FindDirectChildrenOnly)) {
    process->disconnect();
    process->kill();
    process->waitForFinished(1000);  // a killed process ends at once; this reaps it
  }
}

}  // namespace astro::gui
