// Plugin folders and the probe's location (plugin_folders.h), found from $ASTRO_PLUGIN_PATH,
// $ASTRO_PLUGIN_PROBE and /proc/self/exe. The install layout (ASTRO_PLUGIN_INSTALL_DIR,
// ASTRO_PRIVATE_LIB_DIR) comes from cmake/AstroPluginLayout.cmake, relative to the prefix.
#include "core/plugin/plugin_folders.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace astro::plugin {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPluginPrefix = "libastro-plugin-";
constexpr std::string_view kPluginSuffix = ".so";

fs::path runningExecutable() {
  std::error_code error;
  fs::path executable = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path() : executable;
}

// <prefix> of an installed program: the folder above its bin/.
fs::path installPrefix() {
  const fs::path executable = runningExecutable();
  return executable.empty() ? fs::path() : executable.parent_path().parent_path();
}

bool isDirectory(const fs::path& path) {
  std::error_code error;
  return !path.empty() && fs::is_directory(path, error);
}

bool isFile(const fs::path& path) {
  std::error_code error;
  return !path.empty() && fs::is_regular_file(path, error);
}

// Whether the running program is one of the build tree's (astro, astro-studio, a test): only
// then is the build tree's plugin folder its own, not a stale one of whoever built the install.
bool runsFromBuildTree() {
  const fs::path executable = runningExecutable();
  std::error_code error;
  fs::path treePath = fs::weakly_canonical(ASTRO_BUILD_TREE, error);  // /proc/self/exe is canonical
  if (error) treePath = fs::path(ASTRO_BUILD_TREE).lexically_normal();
  const std::string tree = treePath.string();
  return !executable.empty() && executable.lexically_normal().string().starts_with(tree + "/");
}

}  // namespace

std::vector<fs::path> pluginFolders() {
  std::vector<fs::path> candidates;
  if (const char* variable = std::getenv("ASTRO_PLUGIN_PATH"); variable != nullptr) {
    std::string_view rest = variable;
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      const std::string_view entry = rest.substr(0, colon);
      if (!entry.empty()) candidates.emplace_back(entry);
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
  }
  const fs::path installed = installPrefix() / ASTRO_PLUGIN_INSTALL_DIR;
  if (isDirectory(installed)) {
    candidates.push_back(installed);
  } else if (runsFromBuildTree()) {
    candidates.emplace_back(ASTRO_PLUGIN_BUILD_DIR);
  }

  // Existing folders, each once (the same folder twice would refuse every plugin as a duplicate).
  std::vector<fs::path> folders;
  std::vector<fs::path> seen;
  for (const fs::path& candidate : candidates) {
    if (!isDirectory(candidate)) continue;
    std::error_code error;
    fs::path canonical = fs::weakly_canonical(candidate, error);
    if (error) canonical = candidate;
    if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) continue;
    seen.push_back(canonical);
    folders.push_back(candidate);
  }
  return folders;
}

std::vector<fs::path> pluginFiles(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    const bool named = name.size() > kPluginPrefix.size() + kPluginSuffix.size() &&
                       name.starts_with(kPluginPrefix) && name.ends_with(kPluginSuffix);
    std::error_code statError;
    if (named && entry.is_regular_file(statError)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path findProbe(const LoadOptions& options, std::string& tried) {
  if (!options.probe.empty()) {
    if (isFile(options.probe)) return options.probe;
    tried = options.probe.string() + " (LoadOptions::probe)";
    return {};
  }
  std::vector<fs::path> candidates;
  if (const char* variable = std::getenv("ASTRO_PLUGIN_PROBE");
      variable != nullptr && *variable != '\0') {
    candidates.emplace_back(variable);
  }
  if (const fs::path prefix = installPrefix(); !prefix.empty()) {
    candidates.push_back(prefix / ASTRO_PRIVATE_LIB_DIR / "astro-plugin-probe");
  }
  candidates.emplace_back(ASTRO_PLUGIN_PROBE_BUILD_PATH);
  for (const fs::path& candidate : candidates) {
    if (isFile(candidate)) return candidate;
    tried += (tried.empty() ? "" : ", ") + candidate.string();
  }
  return {};
}

}  // namespace astro::plugin
