// The search trees of a run read from the workspace database on a worker thread, as values: a
// page of summaries (for the problems list) and one whole tree (for the tree view). Each read
// opens the workspace read-only and closes it; errors come back as text, never as exceptions.
#pragma once

#include <QString>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/search/tree.h"
#include "core/store/tree_repository.h"

namespace astro::gui {

struct RunTreePage {
  std::int64_t runId = 0;
  store::TreeFilter filter{};
  store::TreeOrder order{};  // kStored: keyset pages after `afterId`; else offset pages
  std::int64_t afterId = 0;  // the keyset this page was read after
  std::int64_t offset = 0;   // the rows before this page (a sorted order)
  bool replaces = false;     // holds every row the model held: it replaces them
  std::int64_t total = 0;    // trees of the run that match the filter, all stages
  std::vector<store::TreeSummary> trees;
  bool withTopics = false;            // subjects and levels were read too
  std::vector<std::string> subjects;  // the run's distinct subjects and levels (filter boxes)
  std::vector<int> levels;
  bool runRunning = false;  // the run's status is running: more trees may come
  QString error;
};
struct LoadedRunTree {
  store::TreeSummary summary;
  std::optional<search::SearchTree> tree;
  QString error;
};

// Up to `limit` summaries of run `runId` that match `filter` with ids above `afterId`, in the order
// they were stored, their count, and the run's status; `withTopics` also reads its subjects and
// levels. A folder without a database reads as a run without trees.
RunTreePage readRunTreePage(const std::filesystem::path& folder, std::int64_t runId,
                            const store::TreeFilter& filter, std::int64_t afterId,
                            std::int64_t limit, bool withTopics = false);
// The same in `order`: kStored reads after `after` (a tree id), any other order skips `after`
// rows.
RunTreePage readSortedRunTreePage(const std::filesystem::path& folder, std::int64_t runId,
                                  const store::TreeFilter& filter, const store::TreeOrder& order,
                                  std::int64_t after, std::int64_t limit, bool withTopics = false);
LoadedRunTree readRunTree(const std::filesystem::path& folder, std::int64_t treeId);

}  // namespace astro::gui
