// Where plugins and the probe program are found (plugin_loader.h says the order): the folders of
// $ASTRO_PLUGIN_PATH, then the install's plugin folder beside the running executable, else the
// build tree's when the executable runs from the build tree.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/plugin/plugin_loader.h"

namespace astro::plugin {

// The plugin files of `folder`: regular files (or links to them) named libastro-plugin-*.so,
// sorted by name so the load order does not depend on the file system.
std::vector<std::filesystem::path> pluginFiles(const std::filesystem::path& folder);

// The probe program to run: LoadOptions::probe, else $ASTRO_PLUGIN_PROBE, else the installed one
// (<prefix>/lib/<multiarch>/astro-studio/astro-plugin-probe beside the running executable's
// bin/), else the build tree's. Empty when none exists; `tried` then lists where it looked.
std::filesystem::path findProbe(const LoadOptions& options, std::string& tried);

}  // namespace astro::plugin
