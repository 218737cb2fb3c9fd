// SearchTree <-> run store rows, and RunTreeStore (tree_store_run.h).
#include "core/search/tree_store_run.h"

#include <unordered_set>

#include "core/base/error.h"
#include "core/store/workspace.h"

namespace astro::search {

store::NewTree toNewTree(const SearchTree& tree, std::int64_t runId, std::string stage,
                         std::string problemId) {
  store::NewTree row{.runId = runId,
                     .stage = std::move(stage),
                     .problemId = std::move(problemId),
                     .problem = tree.problem(),
                     .referenceAnswer = tree.goldAnswer()};
  row.nodes.reserve(tree.nodes().size());
  for (const TreeNode& node : tree.nodes()) {
    row.nodes.push_back({.id = node.id,
                         .parent = node.parent,
                         .text = node.text,
                         .visits = node.visits,
                         .value = node.value,
                         .prior = node.prior,
                         .depth = node.depth,
                         .terminal = node.terminal,
                         .answer = node.answer,
                         .correct = node.correct});
  }
  return row;
}

SearchTree treeFromStore(const store::StoredTree& stored) {
  std::vector<TreeNode> nodes;
  nodes.reserve(stored.nodes.size());
  for (const store::StoredTreeNode& node : stored.nodes) {
    nodes.push_back({.id = node.id,
                     .parent = node.parent,
                     .text = node.text,
                     .visits = node.visits,
                     .value = node.value,
                     .prior = node.prior,
                     .terminal = node.terminal,
                     .answer = node.answer,
                     .correct = node.correct});
  }
  const std::string source = "tree " + std::to_string(stored.summary.id) + " of run " +
                             std::to_string(stored.summary.runId);
  return SearchTree::fromNodes(stored.summary.problem, stored.summary.referenceAnswer,
                               std::move(nodes), source);
}

RunTreeStore::RunTreeStore(store::Workspace& workspace, std::int64_t runId, std::string stage)
    : workspace_(workspace), runId_(runId), stage_(std::move(stage)) {
  workspace_.runs().get(runId_);  // "no run N in workspace ..." early, not after a whole tree
  if (stage_.empty()) throw UsageError("tree store: the stage name must not be empty");
}

std::vector<bool> RunTreeStore::storedFlags(std::span<const math::Problem> problems) {
  const std::vector<std::string> ids = workspace_.trees().problemIds(runId_, stage_);
  const std::unordered_set<std::string> stored(ids.begin(), ids.end());
  std::unordered_set<std::string> seen;
  std::vector<bool> flags;
  flags.reserve(problems.size());
  for (const math::Problem& problem : problems) {
    if (problem.id.empty()) {
      throw UsageError("problem '" + problem.question.substr(0, 40) +
                       "' has no id: a run stores one tree per problem id");
    }
    if (!seen.insert(problem.id).second) {
      throw UsageError("problem id '" + problem.id +
                       "' appears twice in the dataset: a run stores one tree per problem id");
    }
    flags.push_back(stored.contains(problem.id));
  }
  return flags;
}

void RunTreeStore::store(const math::Problem& problem, const SearchTree& tree) {
  store::NewTree row = toNewTree(tree, runId_, stage_, problem.id);
  row.subject = problem.subject;
  row.level = problem.level;
  workspace_.trees().save(row);
}

}  // namespace astro::search
