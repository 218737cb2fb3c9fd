#include "core/base/workspace_paths.h"

#include <cstdlib>

#include "core/base/error.h"

namespace astro {

std::filesystem::path defaultWorkspaceDir() {
  if (const char* explicitDir = std::getenv("ASTRO_WORKSPACE"); explicitDir && *explicitDir) {
    return explicitDir;
  }
  if (const char* dataHome = std::getenv("XDG_DATA_HOME"); dataHome && *dataHome) {
    return std::filesystem::path(dataHome) / "astro-studio";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".local/share/astro-studio";
}

std::filesystem::path workspaceDatabasePath(const std::filesystem::path& workspace) {
  return workspace / "workspace.sqlite";
}

std::filesystem::path confinedPath(const std::filesystem::path& root, std::string_view relative) {
  std::filesystem::path candidate(relative);
  if (relative.empty() || candidate.is_absolute() || candidate.has_root_name()) {
    throw UsageError("path '" + std::string(relative) + "' must be relative to the workspace");
  }
  std::filesystem::path normal = candidate.lexically_normal();
  for (const auto& part : normal) {
    if (part == "..") {
      throw UsageError("path '" + std::string(relative) + "' escapes the workspace");
    }
  }
  return root / normal;
}

}  // namespace astro
