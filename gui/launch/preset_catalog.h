// The pipeline presets the Launch view offers: resources/pipelines/*.toml, found where the world
// resources are (core/world worldResourceDir): $ASTRO_RESOURCES/pipelines, then
// <prefix>/share/astro-studio/pipelines beside the executable, then the source tree's resources.
#pragma once

#include <QString>
#include <QStringList>

namespace astro::gui {

QString presetDir();        // the first candidate that exists; "" when none does
QStringList presetFiles();  // absolute paths of its *.toml files, sorted by name

}  // namespace astro::gui
