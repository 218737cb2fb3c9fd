// Where the world's tokenizer and model configs live: $ASTRO_RESOURCES, then the installed
// <exe>/../share/astro-studio, then the source tree's resources/ (a build that was not installed).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace astro::world {

// The first of $ASTRO_RESOURCES/world, <exe>/../share/astro-studio/world and
// <source>/resources/world that holds tokenizer.json. Throws astro::Error listing the folders
// tried when none does.
std::filesystem::path worldResourceDir();

// The model config names shipped under worldResourceDir()/models ("small", "tiny"), sorted.
std::vector<std::string> worldModelNames();

// worldResourceDir()/models/<name>.json; throws astro::UsageError listing the known names.
std::filesystem::path worldModelConfigPath(const std::string& name);

}  // namespace astro::world
