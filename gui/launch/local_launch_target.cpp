#include "gui/launch/local_launch_target.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#include "gui/launch/detached_command.h"
#include "gui/launch/local_run_event_source.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

namespace {

QString timeStamp() {
  return QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
}

// File stems come from preset names: keep them to safe characters.
QString safeStem(const QString& name) {
  QString stem = name;
  stem.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
  return stem.isEmpty() || stem.startsWith('.') ? QStringLiteral("config") + stem : stem;
}

std::optional<std::int64_t> runIdOfLine(const QString& line) {
  static const QRegularExpression pattern(QStringLiteral("^run (\\d+)$"));
  auto match = pattern.match(line.trimmed());
  if (!match.hasMatch()) return std::nullopt;
  return match.captured(1).toLongLong();
}

// The pid in runs/<id>/worker.lock when that process still runs.
bool workerAlive(const std::filesystem::path& workspace, std::int64_t runId) {
  QFile lock(QString::fromStdString(
      (workspace / "runs" / std::to_string(runId) / "worker.lock").string()));
  if (!lock.open(QIODevice::ReadOnly)) return false;
  bool ok = false;
  qint64 pid = QString::fromLatin1(lock.read(64)).trimmed().toLongLong(&ok);
  return ok && processAlive(pid);
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

LocalLaunchTarget::LocalLaunchTarget(std::filesystem::path workspace, QString cliPath,
                                     QObject* parent)
    : LaunchTarget(parent), workspace_(std::move(workspace)), cliPath_(std::move(cliPath)) {}

QString LocalLaunchTarget::description() const { return tr("this machine"); }

QString LocalLaunchTarget::launchFolder() const {
  return QString::fromStdString((workspace_ / "launch").string());
}

DetachedCommand* LocalLaunchTarget::startCommand(QStringList arguments, const QString& stem) {
  QDir().mkpath(launchFolder());
  arguments.prepend(QString::fromStdString(workspace_.string()));
  arguments.prepend(QStringLiteral("--workspace"));
  auto* command =
      new DetachedCommand(cliPath_, arguments, QDir(launchFolder()).filePath(stem), this);
  connect(command, &DetachedCommand::exited, command, &QObject::deleteLater);
  return command;
}

void LocalLaunchTarget::start(const LaunchRequest& request) {
  QString stem = safeStem(request.name) + QLatin1Char('-') + timeStamp();
  QDir().mkpath(launchFolder());
  QString configPath = QDir(launchFolder()).filePath(stem + QStringLiteral(".toml"));
  QFile config(configPath);
  if (!config.open(QIODevice::WriteOnly) || config.write(request.configText.toUtf8()) < 0) {
    Q_EMIT startFailed(tr("cannot write %1: %2").arg(configPath, config.errorString()), request);
    return;
  }
  config.close();
  QStringList arguments{QStringLiteral("run"), configPath};
  if (!request.baseDir.isEmpty()) arguments << QStringLiteral("--base-dir") << request.baseDir;
  DetachedCommand* command = startCommand(arguments, stem);
  auto created = std::make_shared<bool>(false);
  connect(
      command, &DetachedCommand::firstLine, this,
      [this, request, created, command](const QString& line) {
        auto runId = runIdOfLine(line);
        if (!runId) {
          Q_EMIT startFailed(
              tr("unexpected first line from the worker: %1\n%2").arg(line, command->errorText()),
              request);
          *created = true;  // reported
          return;
        }
        *created = true;
        Q_EMIT started(*runId, request);
      });
  connect(command, &DetachedCommand::exited, this, [this, request, created, command] {
    if (*created) return;
    QString errors = command->errorText();
    Q_EMIT startFailed(errors.isEmpty() ? tr("the worker exited without creating a run") : errors,
                       request);
  });
  if (!command->start()) {
    Q_EMIT startFailed(command->errorText(), request);
    command->deleteLater();
  }
}

void LocalLaunchTarget::runCommand(const QString& verb, std::int64_t runId) {
  QString stem = QStringLiteral("run-%1-%2-%3").arg(runId).arg(verb, timeStamp());
  DetachedCommand* command = startCommand({verb, QString::number(runId)}, stem);
  auto printed = std::make_shared<bool>(false);
  connect(command, &DetachedCommand::firstLine, this, [printed] { *printed = true; });
  // Both print to stdout once they act; a refusal (finished run, busy run) prints only an error.
  connect(command, &DetachedCommand::exited, this, [this, printed, command, verb] {
    if (*printed) return;
    QString errors = command->errorText();
    Q_EMIT commandFailed(errors.isEmpty() ? tr("astro %1 printed nothing").arg(verb) : errors);
  });
  if (!command->start()) {
    Q_EMIT commandFailed(command->errorText());
    command->deleteLater();
  }
}

void LocalLaunchTarget::cancel(std::int64_t runId) { runCommand(QStringLiteral("cancel"), runId); }

void LocalLaunchTarget::resume(std::int64_t runId) { runCommand(QStringLiteral("resume"), runId); }

void LocalLaunchTarget::findRunning() {
  auto folder = workspace_;
  findJobs_.start(
      [folder](const std::atomic<bool>&) {
        std::vector<RunningRun> running;
        WorkspaceSnapshot snapshot = readWorkspaceSnapshot(folder);
        for (const RunSummary& summary : snapshot.runs) {
          if (summary.run.status != store::RunStatus::kRunning) continue;
          // The store still says running after a kill; a live worker holds the run's lock.
          if (!workerAlive(folder, summary.run.id)) continue;
          running.push_back({summary.run.id, QString::fromStdString(summary.run.name)});
        }
        return running;
      },
      [this](std::vector<RunningRun> running) { Q_EMIT runningFound(running); });
}

std::unique_ptr<RunEventSource> LocalLaunchTarget::follow(std::int64_t runId,
                                                          std::int64_t sinceSeq) {
  return std::make_unique<LocalRunEventSource>(workspace_, runId, sinceSeq);
}

}  // namespace astro::gui
