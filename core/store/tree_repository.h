// Search trees of a run stored in full (table trees: one row per tree with its problem and counts;
// tree_nodes: every node). A tree is written whole in one transaction and read back whole, or
// listed page by page as summaries for the views. Store-level value structs: core/search converts
// them to and from SearchTree (core/search/tree_store_run.h), the store knows nothing of MCTS.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/store/timestamp.h"

namespace astro::store {

namespace detail {
class Connection;
}

// One node as the interchange format has it (core/search/tree_json.h) plus its depth.
struct StoredTreeNode {
  int id = 0;                   // dense within its tree: 0 the root (the problem, empty text)
  std::optional<int> parent{};  // nullopt only for the root
  std::string text{};
  int visits = 0;
  double value = 0.0;  // SUM of backed-up rewards
  double prior = 0.0;
  int depth = 0;
  bool terminal = false;
  std::optional<std::string> answer{};
  std::optional<bool> correct{};
  bool operator==(const StoredTreeNode&) const = default;
};

// Counts the repository derives from the nodes when it saves a tree (so they always agree).
struct TreeStats {
  int nodes = 0;
  int maxDepth = 0;
  int terminals = 0;
  int correctTerminals = 0;
  int rootVisits = 0;
  bool solved() const { return correctTerminals > 0; }
  bool operator==(const TreeStats&) const = default;
};

struct NewTree {
  std::int64_t runId = 0;
  std::string stage = "search";  // the stage that grew it ("search") or "import"
  std::string problemId{};       // unique per run and stage: a problem has one tree there
  std::string problem{};
  std::string referenceAnswer{};
  std::vector<StoredTreeNode> nodes{};  // in id order
  std::string subject{};                // the dataset's, when it has one (MATH); else ""
  int level = 0;                        // 1-5 for MATH; 0 when unknown
};

struct TreeSummary {
  std::int64_t id = 0;
  std::int64_t runId = 0;
  std::string stage{};
  std::string problemId{};
  std::string problem{};
  std::string referenceAnswer{};
  TreeStats stats{};
  Timestamp created{};
  std::string subject{};
  int level = 0;
};

struct StoredTree {
  TreeSummary summary{};
  std::vector<StoredTreeNode> nodes{};  // in id order
};

struct TreePage {
  std::optional<std::string> stage{};  // nullopt: every stage
  std::int64_t offset = 0;
  std::int64_t limit = -1;  // -1: all
};

// Which trees of a run a filtered page or count covers; every set field narrows.
struct TreeFilter {
  std::optional<std::string> stage{};
  std::optional<bool> solved{};  // true: at least one correct terminal; false: none
  std::optional<std::string> subject{};
  std::optional<int> level{};
  std::string text{};  // case-insensitive (ASCII) substring of the problem id or problem text
};

// The order of a sorted page: by one of the counts (wrong = terminals - correct), ties by id.
// kNodes descending breaks ties by most wrong terminals first: the largest, most contested tree
// leads.
enum class TreeSortKey { kStored, kNodes, kDepth, kTerminals, kCorrect, kWrong };
struct TreeOrder {
  TreeSortKey key = TreeSortKey::kStored;
  bool descending = false;
  bool operator==(const TreeOrder&) const = default;
};

class TreeRepository {
 public:
  explicit TreeRepository(detail::Connection& connection) : connection_(connection) {}

  // Stores the tree and its nodes in one transaction (or inside the caller's). Throws
  // astro::Error when the run does not exist or already holds a tree for this stage and problem.
  TreeSummary save(const NewTree& tree);
  // Many trees in one transaction: all are stored or none.
  void saveAll(std::span<const NewTree> trees);

  std::optional<StoredTree> find(std::int64_t treeId);
  // Throws astro::Error "no tree 7 in workspace /path" when absent.
  StoredTree get(std::int64_t treeId);
  std::optional<StoredTree> find(std::int64_t runId, const std::string& stage,
                                 const std::string& problemId);

  // Summaries of a run's trees in the order they were stored, one page at a time.
  std::vector<TreeSummary> list(std::int64_t runId, const TreePage& page = {});
  std::int64_t count(std::int64_t runId, const std::optional<std::string>& stage = {});
  // Keyset pages of the trees that match `filter`: ids above `afterId`, in id order (so trees
  // stored while a view pages through the list land after the rows it holds).
  std::vector<TreeSummary> listMatching(std::int64_t runId, const TreeFilter& filter,
                                        std::int64_t afterId = 0, std::int64_t limit = -1);
  std::int64_t countMatching(std::int64_t runId, const TreeFilter& filter);
  // Offset pages of the trees that match `filter` in `order` (the problems table sorted by a
  // column); a tree stored meanwhile may shift the rows after it.
  std::vector<TreeSummary> listSorted(std::int64_t runId, const TreeFilter& filter,
                                      const TreeOrder& order, std::int64_t offset,
                                      std::int64_t limit);
  // Distinct non-empty subjects and non-zero levels of a run's trees, ascending (filter boxes).
  std::vector<std::string> subjects(std::int64_t runId);
  std::vector<int> levels(std::int64_t runId);
  // Problem ids with a stored tree for this run and stage (what a resumed search skips).
  std::vector<std::string> problemIds(std::int64_t runId, const std::string& stage);
  // Stages of a run that hold trees, by name.
  std::vector<std::string> stages(std::int64_t runId);

  void remove(std::int64_t treeId);

 private:
  detail::Connection& connection_;
};

}  // namespace astro::store
