#include "gui/launch/preset_catalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace astro::gui {

QString presetDir() {
  QStringList candidates;
  QString fromEnvironment = qEnvironmentVariable("ASTRO_RESOURCES");
  if (!fromEnvironment.isEmpty()) candidates << QDir(fromEnvironment).filePath("pipelines");
  candidates << QDir(QCoreApplication::applicationDirPath())
                    .filePath(QStringLiteral("../share/astro-studio/pipelines"));
  candidates << QStringLiteral(ASTRO_RESOURCE_DIR "/pipelines");
  for (const QString& candidate : candidates) {
    if (QFileInfo(candidate).isDir()) return QDir(candidate).canonicalPath();
  }
  return {};
}

QStringList presetFiles() {
  QString dir = presetDir();
  if (dir.isEmpty()) return {};
  QStringList files;
  for (const QFileInfo& info :
       QDir(dir).entryInfoList({QStringLiteral("*.toml")}, QDir::Files, QDir::Name)) {
    files << info.absoluteFilePath();
  }
  return files;
}

}  // namespace astro::gui
