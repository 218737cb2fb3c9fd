// Where a workspace lives, and confinement of user-supplied names to it (a run name or artifact
// path must never escape the workspace folder).
#pragma once

#include <filesystem>
#include <string_view>

namespace astro {

// $ASTRO_WORKSPACE, else $XDG_DATA_HOME/astro-studio, else ~/.local/share/astro-studio.
std::filesystem::path defaultWorkspaceDir();

// The workspace database inside a workspace folder.
std::filesystem::path workspaceDatabasePath(const std::filesystem::path& workspace);

// `relative` joined under `root`, refusing absolute paths and any ".." that leaves root
// (throws UsageError naming the path).
std::filesystem::path confinedPath(const std::filesystem::path& root, std::string_view relative);

}  // namespace astro
