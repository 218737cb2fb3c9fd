#include "core/world/world_resources.h"

#include <algorithm>
#include <cstdlib>

#include "core/base/error.h"

namespace astro::world {

namespace {

std::vector<std::filesystem::path> candidateDirs() {
  std::vector<std::filesystem::path> candidates;
  if (const char* fromEnvironment = std::getenv("ASTRO_RESOURCES");
      fromEnvironment != nullptr && *fromEnvironment != '\0') {
    candidates.push_back(std::filesystem::path(fromEnvironment) / "world");
  }
  std::error_code error;
  std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(executable.parent_path().parent_path() / "share" / "astro-studio" /
                         "world");
  }
  candidates.push_back(std::filesystem::path(ASTRO_RESOURCE_DIR) / "world");
  return candidates;
}

}  // namespace

std::filesystem::path worldResourceDir() {
  std::string tried;
  for (const auto& dir : candidateDirs()) {
    std::error_code error;
    if (std::filesystem::is_regular_file(dir / "tokenizer.json", error)) return dir;
    tried += (tried.empty() ? "" : ", ") + dir.string();
  }
  throw Error("world resources (tokenizer.json) not found; looked in " + tried +
              "; set ASTRO_RESOURCES to the folder that holds world/");
}

std::vector<std::string> worldModelNames() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(worldResourceDir() / "models", error)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::filesystem::path worldModelConfigPath(const std::string& name) {
  std::vector<std::string> names = worldModelNames();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string known;
    for (const auto& each : names) known += (known.empty() ? "" : ", ") + each;
    throw UsageError("unknown world model '" + name + "' (known: " + known + ")");
  }
  return worldResourceDir() / "models" / (name + ".json");
}

}  // namespace astro::world
