// `astro fetch` of a mirrored run's artifact (artifact_fetch.h).
#include "gui/workspace/artifact_fetch.h"

#include "gui/common/cli_command.h"

namespace astro::gui {

ArtifactFetch::ArtifactFetch(QString cliPath, QObject* parent)
    : QObject(parent), cliPath_(std::move(cliPath)) {}

ArtifactFetch::~ArtifactFetch() { dropCommands(this); }

bool ArtifactFetch::fetching(std::int64_t runId, std::int64_t artifactId) const {
  return running_.count({runId, artifactId}) > 0;
}

bool ArtifactFetch::fetch(const std::filesystem::path& workspace, std::int64_t runId,
                          std::int64_t artifactId) {
  if (!running_.insert({runId, artifactId}).second) return false;
  QString what = tr("artifact %1 of run %2").arg(artifactId).arg(runId);
  Q_EMIT status(tr("Fetching %1 from its host…").arg(what));
  startCommand(
      cliPath_,
      {QStringLiteral("--workspace"), QString::fromStdString(workspace.string()),
       QStringLiteral("fetch"), QString::number(runId), QString::number(artifactId)},
      this,
      {.finished =
           [this, runId, artifactId, what](const CommandOutput& result) {
             running_.erase({runId, artifactId});
             QString path = QString::fromUtf8(result.output).trimmed().section('\n', -1);
             if (result.started && result.exitCode == 0 && !result.crashed && !path.isEmpty()) {
               Q_EMIT status(tr("Fetched %1 to %2").arg(what, path));
               Q_EMIT finished(runId, artifactId, path, QString());
               return;
             }
             QString error = result.errors.trimmed();
             if (error.isEmpty())
               error = tr("astro fetch exited with status %1").arg(result.exitCode);
             Q_EMIT status(tr("Could not fetch %1: %2").arg(what, error.section('\n', -1)));
             Q_EMIT finished(runId, artifactId, QString(), error);
           },
       .errorLine =
           [this, what](const QString& line) {
             if (!line.trimmed().isEmpty()) Q_EMIT status(tr("Fetching %1: %2").arg(what, line));
           }});
  return true;
}

}  // namespace astro::gui
