// Search trees in a run of the workspace database (core/store/tree_repository.h): conversion
// between SearchTree and the store's rows, and RunTreeStore, the FinishedTreeStore that MCTS
// writes each finished tree to (one transaction per tree, so a kill loses no finished tree and a
// resume, which skips the problem ids the run already holds, repeats none).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/search/finished_tree_store.h"
#include "core/search/tree.h"
#include "core/store/tree_repository.h"

namespace astro::store {
class Workspace;
}

namespace astro::search {

store::NewTree toNewTree(const SearchTree& tree, std::int64_t runId, std::string stage,
                         std::string problemId);
// Validates the stored nodes as the JSON import does (errors name "tree 7 of run 3").
SearchTree treeFromStore(const store::StoredTree& stored);

class RunTreeStore final : public FinishedTreeStore {
 public:
  // Borrows `workspace` (a writer; it must outlive the store). Throws when the run is missing.
  RunTreeStore(store::Workspace& workspace, std::int64_t runId, std::string stage = "search");

  // A problem is stored when the run holds a tree of this stage for its id. Throws UsageError
  // when a problem id is empty or repeats in `problems` (a run keeps one tree per problem id).
  std::vector<bool> storedFlags(std::span<const math::Problem> problems) override;
  void store(const math::Problem& problem, const SearchTree& tree) override;

  std::int64_t runId() const { return runId_; }
  const std::string& stage() const { return stage_; }

 private:
  store::Workspace& workspace_;
  std::int64_t runId_;
  std::string stage_;
};

}  // namespace astro::search
