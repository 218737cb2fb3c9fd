// Where GUI tests leave what a person should look at (screenshots, exports):
// <build>/test-tmp/<name>/, created on first use.
#pragma once

#include <QDir>
#include <QString>

namespace astro::test {

inline QString outputDir(const QString& name) {
  QString dir = QStringLiteral(ASTRO_BINARY_DIR "/test-tmp/") + name;
  QDir().mkpath(dir);
  return dir;
}

}  // namespace astro::test
