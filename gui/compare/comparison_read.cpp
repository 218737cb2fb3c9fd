// Reading a comparison off the GUI thread (comparison_read.h).
#include "gui/compare/comparison_read.h"

#include "core/base/workspace_paths.h"

namespace astro::gui {

ComparisonRead readComparison(const std::filesystem::path& folder,
                              const std::vector<std::int64_t>& runIds,
                              const std::atomic<bool>& cancel) {
  ComparisonRead read;
  try {
    if (!std::filesystem::exists(workspaceDatabasePath(folder))) {
      throw std::runtime_error("no workspace database in " + folder.string());
    }
    // quick_check reads every page; the side panel's reads skip it too (workspace_data.cpp).
    auto workspace = store::Workspace::open(
        folder, {.readOnly = true, .quickCheckMaxBytes = 0, .migrateOlder = true});
    read.comparison = analysis::compareRuns(workspace, runIds, &cancel);
  } catch (const std::exception& error) {
    read.error = QString::fromStdString(error.what());
  }
  return read;
}

}  // namespace astro::gui
