// What every launch target that drives the astro CLI shares (cli_launch_target.h).
#include "gui/launch/cli_launch_target.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <optional>

#include "core/base/atomic_file.h"
#include "gui/launch/detached_command.h"
#include "gui/launch/local_run_event_source.h"

namespace astro::gui {

namespace {

QString launchFolderOf(const std::filesystem::path& workspace) {
  return QString::fromStdString((workspace / "launch").string());
}

std::optional<std::int64_t> runIdOfLine(const QString& line) {
  static const QRegularExpression pattern(QStringLiteral("^run (\\d+)$"));
  auto match = pattern.match(line.trimmed());
  if (!match.hasMatch()) return std::nullopt;
  return match.captured(1).toLongLong();
}

}  // namespace

QString astroCliPath() {
  QString fromEnvironment = qEnvironmentVariable("ASTRO_CLI");
  if (!fromEnvironment.isEmpty()) return fromEnvironment;
  QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("astro"));
  if (QFileInfo(beside).isExecutable()) return beside;
  QString onPath = QStandardPaths::findExecutable(QStringLiteral("astro"));
  return onPath.isEmpty() ? QStringLiteral("astro") : onPath;
}

QString launchFileStem(const QString& name) {
  // File stems come from preset names: keep them to safe characters.
  QString stem = name;
  stem.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
  if (stem.isEmpty() || stem.startsWith('.')) stem.prepend(QStringLiteral("config"));
  return stem + QLatin1Char('-') +
         QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
}

DetachedCommand* startDetachedAstro(const QString& cliPath, const std::filesystem::path& workspace,
                                    QStringList arguments, const QString& stem, QObject* parent,
                                    QString* error) {
  QString folder = launchFolderOf(workspace);
  QDir().mkpath(folder);
  arguments.prepend(QString::fromStdString(workspace.string()));
  arguments.prepend(QStringLiteral("--workspace"));
  auto* command = new DetachedCommand(cliPath, arguments, QDir(folder).filePath(stem), parent);
  if (!command->start()) {
    if (error) *error = command->errorText();
    delete command;
    return nullptr;
  }
  QObject::connect(command, &DetachedCommand::exited, command, &QObject::deleteLater);
  return command;
}

CliLaunchTarget::CliLaunchTarget(std::filesystem::path workspace, QString cliPath, QObject* parent)
    : LaunchTarget(parent), workspace_(std::move(workspace)), cliPath_(std::move(cliPath)) {}

QString CliLaunchTarget::launchFolder() const { return launchFolderOf(workspace_); }

QStringList CliLaunchTarget::runArguments(const QString& configPath,
                                          const LaunchRequest& request) const {
  QStringList arguments{QStringLiteral("run"), configPath};
  if (!request.baseDir.isEmpty()) arguments << QStringLiteral("--base-dir") << request.baseDir;
  return arguments + runOptions();
}

QStringList CliLaunchTarget::startArguments(const QString& configPath,
                                            const LaunchRequest& request) const {
  return QStringList{QStringLiteral("--workspace"), QString::fromStdString(workspace_.string())} +
         runArguments(configPath, request);
}

void CliLaunchTarget::start(const LaunchRequest& request) {
  const QString stem = launchFileStem(request.name);
  const QString folder = launchFolder();
  const QString configPath = QDir(folder).filePath(stem + QStringLiteral(".toml"));
  // The config is written on the pool (a slow or full disk must not freeze the window); the
  // worker starts once it is on disk. Every launch gets its own watcher: none supersedes another.
  auto* written = new QFutureWatcher<QString>(this);
  connect(written, &QFutureWatcher<QString>::finished, this,
          [this, written, request, configPath, stem] {
            written->deleteLater();
            const QString error = written->result();
            if (!error.isEmpty()) {
              Q_EMIT startFailed(error, request);
              return;
            }
            startWorker(request, configPath, stem);
          });
  written->setFuture(QtConcurrent::run(
      [folder, configPath, text = request.configText.toStdString()]() -> QString {
        try {
          QDir().mkpath(folder);
          writeFileAtomically(configPath.toStdString(), text);
        } catch (const std::exception& error) {
          return QStringLiteral("cannot write %1: %2")
              .arg(configPath, QString::fromUtf8(error.what()));
        }
        return {};
      }));
}

void CliLaunchTarget::startWorker(const LaunchRequest& request, const QString& configPath,
                                  const QString& stem) {
  QString error;
  DetachedCommand* command = startDetachedAstro(
      cliPath_, workspace_, runArguments(configPath, request), stem, this, &error);
  if (!command) {
    Q_EMIT startFailed(error, request);
    return;
  }
  auto created = std::make_shared<bool>(false);
  connect(
      command, &DetachedCommand::firstLine, this,
      [this, request, created, command](const QString& line) {
        *created = true;  // reported, one way or the other
        auto runId = runIdOfLine(line);
        if (!runId) {
          Q_EMIT startFailed(
              tr("unexpected first line from the worker: %1\n%2").arg(line, command->errorText()),
              request);
          return;
        }
        Q_EMIT started(*runId, request);
      });
  connect(command, &DetachedCommand::exited, this, [this, request, created, command] {
    if (*created) return;
    QString errors = command->errorText();
    Q_EMIT startFailed(errors.isEmpty() ? tr("the worker exited without creating a run") : errors,
                       request);
  });
}

void CliLaunchTarget::runCommand(const QString& verb, std::int64_t runId) {
  QString error;
  DetachedCommand* command = startDetachedAstro(
      cliPath_, workspace_, {verb, QString::number(runId)},
      launchFileStem(QStringLiteral("run-%1-%2").arg(runId).arg(verb)), this, &error);
  if (!command) {
    Q_EMIT commandFailed(error);
    return;
  }
  auto printed = std::make_shared<bool>(false);
  connect(command, &DetachedCommand::firstLine, this, [printed] { *printed = true; });
  // Both print to stdout once they act; a refusal (finished run, busy run) prints only an error.
  connect(command, &DetachedCommand::exited, this, [this, printed, command, verb] {
    if (*printed) return;
    QString errors = command->errorText();
    Q_EMIT commandFailed(errors.isEmpty() ? tr("astro %1 printed nothing").arg(verb) : errors);
  });
}

void CliLaunchTarget::cancel(std::int64_t runId) { runCommand(QStringLiteral("cancel"), runId); }

void CliLaunchTarget::resume(std::int64_t runId) { runCommand(QStringLiteral("resume"), runId); }

void CliLaunchTarget::findRunning() {
  findJobs_.start(
      [folder = workspace_, keep = runningFilter()](const std::atomic<bool>&) {
        WorkspaceSnapshot snapshot = readWorkspaceSnapshot(folder);
        std::vector<RunningRun> running;
        for (const RunSummary& summary : snapshot.runs) {
          if (keep(summary)) {
            running.push_back({summary.run.id, QString::fromStdString(summary.run.name)});
          }
        }
        return std::pair{running, snapshot.error};
      },
      [this](std::pair<std::vector<RunningRun>, QString> found) {
        if (!found.second.isEmpty()) {
          Q_EMIT commandFailed(tr("Cannot look for running runs: %1").arg(found.second));
        }
        Q_EMIT runningFound(found.first);
      });
}

std::unique_ptr<RunEventSource> CliLaunchTarget::follow(std::int64_t runId, std::int64_t sinceSeq) {
  return std::make_unique<LocalRunEventSource>(workspace_, runId, sinceSeq);
}

}  // namespace astro::gui
