// The search trees of a run read from the workspace database on a worker thread, as values: a
// page of summaries (for the problems list) and one whole tree (for the tree view). Each read
// opens the workspace read-only and closes it; errors come back as text, never as exceptions.
#pragma once

#include <QString>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "core/search/tree.h"
#include "core/store/tree_repository.h"

namespace astro::gui {

struct RunTreePage {
  std::int64_t runId = 0;
  std::int64_t offset = 0;
  std::int64_t total = 0;  // trees of the run, all stages
  std::vector<store::TreeSummary> trees;
  QString error;
};

struct LoadedRunTree {
  store::TreeSummary summary;
  std::optional<search::SearchTree> tree;
  QString error;
};

// Up to `limit` summaries of run `runId` from `offset`, in the order they were stored; a folder
// without a database reads as a run without trees.
RunTreePage readRunTreePage(const std::filesystem::path& folder, std::int64_t runId,
                            std::int64_t offset, std::int64_t limit);
LoadedRunTree readRunTree(const std::filesystem::path& folder, std::int64_t treeId);

}  // namespace astro::gui
