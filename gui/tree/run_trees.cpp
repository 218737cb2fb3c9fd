#include "gui/tree/run_trees.h"

#include "core/base/workspace_paths.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"

namespace astro::gui {
namespace {

std::optional<store::Workspace> openForReading(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(workspaceDatabasePath(folder))) return std::nullopt;
  // quick_check reads every page: too slow for paging through a list.
  return store::Workspace::open(folder, {.readOnly = true, .quickCheckMaxBytes = 0, .migrateOlder = true});
}

}  // namespace

RunTreePage readRunTreePage(const std::filesystem::path& folder, std::int64_t runId,
                            const store::TreeFilter& filter, std::int64_t afterId,
                            std::int64_t limit, bool withTopics) {
  return readSortedRunTreePage(folder, runId, filter, {}, afterId, limit, withTopics);
}

RunTreePage readSortedRunTreePage(const std::filesystem::path& folder, std::int64_t runId,
                                  const store::TreeFilter& filter, const store::TreeOrder& order,
                                  std::int64_t after, std::int64_t limit, bool withTopics) {
  const bool stored = order.key == store::TreeSortKey::kStored && !order.descending;
  RunTreePage page{.runId = runId,
                   .filter = filter,
                   .order = order,
                   .afterId = stored ? after : 0,
                   .offset = stored ? 0 : after,
                   .withTopics = withTopics};
  try {
    auto workspace = openForReading(folder);
    if (!workspace) return page;
    auto trees = workspace->trees();
    page.total = trees.countMatching(runId, filter);
    if (limit != 0) {
      page.trees = stored ? trees.listMatching(runId, filter, after, limit)
                          : trees.listSorted(runId, filter, order, after, limit);
    }
    if (withTopics) {
      page.subjects = trees.subjects(runId);
      page.levels = trees.levels(runId);
    }
    const auto run = workspace->runs().find(runId);
    page.runRunning = run && run->status == store::RunStatus::kRunning;
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
