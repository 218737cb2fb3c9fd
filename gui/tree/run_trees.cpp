#include "gui/tree/run_trees.h"

#include "core/base/workspace_paths.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"

namespace astro::gui {
namespace {

std::optional<store::Workspace> openForReading(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(workspaceDatabasePath(folder))) return std::nullopt;
  // quick_check reads every page: too slow for paging through a list.
  return store::Workspace::open(folder, {.readOnly = true, .quickCheckMaxBytes = 0});
}

}  // namespace

RunTreePage readRunTreePage(const std::filesystem::path& folder, std::int64_t runId,
                            std::int64_t offset, std::int64_t limit) {
  RunTreePage page{.runId = runId, .offset = offset};
  try {
    auto workspace = openForReading(folder);
    if (!workspace) return page;
    auto trees = workspace->trees();
    page.total = trees.count(runId);
    page.trees = trees.list(runId, {.offset = offset, .limit = limit});
  } catch (const std::exception& error) {
    page.error = QString::fromStdString(error.what());
  }
  return page;
}

LoadedRunTree readRunTree(const std::filesystem::path& folder, std::int64_t treeId) {
  LoadedRunTree loaded;
  try {
    auto workspace = openForReading(folder);
    if (!workspace) throw std::runtime_error("no workspace database in " + folder.string());
    const store::StoredTree stored = workspace->trees().get(treeId);
    loaded.summary = stored.summary;
    loaded.tree = search::treeFromStore(stored);
  } catch (const std::exception& error) {
    loaded.error = QString::fromStdString(error.what());
  }
  return loaded;
}

}  // namespace astro::gui
