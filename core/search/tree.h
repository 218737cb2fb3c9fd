// The search-tree data model shared by MCTS (which grows trees), linearization (which turns them
// into reasoning traces) and the views (which draw them). Plain values: a tree is a vector of
// nodes indexed by id, cheap to copy, compare and serialize by the thousand.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/math/problem.h"

namespace astro::search {

// One reasoning step. Node ids are dense: node `id` lives at nodes()[id]; node 0 is the root,
// which stands for the problem itself and has empty text.
struct TreeNode {
  int id = 0;
  std::optional<int> parent;  // nullopt only for the root
  std::string text;           // the step, without the separating blank line
  int visits = 0;
  // SUM of the rewards backed up through this node (AlphaZero's W), not the mean: MCTS adds to it
  // on every backup. The mean action value is q().
  double value = 0.0;
  double prior = 0.0;  // policy prior of this step given its parent
  int depth = 0;       // root 0, child of root 1, ...; derived from parents, not serialized
  bool terminal = false;
  std::optional<std::string> answer;  // extracted final answer of a terminal step
  std::optional<bool> correct;        // verdict of `answer` against the gold answer
  std::vector<int> children;          // ascending ids

  // Mean value Q = value / visits; 0 for an unvisited node.
  double q() const { return visits > 0 ? value / visits : 0.0; }
  bool isCorrectTerminal() const { return terminal && correct.value_or(false); }
  // A terminal that is not known to be correct (wrong, or no answer could be graded).
  bool isIncorrectTerminal() const { return terminal && !correct.value_or(false); }

  bool operator==(const TreeNode&) const = default;
};

class SearchTree {
 public:
  // A tree holding only the root.
  SearchTree();
  SearchTree(std::string problem, std::string goldAnswer);

  // Builds a tree from nodes in any order whose ids are exactly 0..n-1; fills `children` and
  // `depth` from the parent links and validates (throws astro::Error naming `source`, the node
  // and the field at fault).
  static SearchTree fromNodes(std::string problem, std::string goldAnswer,
                              std::vector<TreeNode> nodes, std::string_view source = "tree");

  const std::string& problem() const { return problem_; }
  const std::string& goldAnswer() const { return goldAnswer_; }
  void setProblem(std::string problem) { problem_ = std::move(problem); }
  void setGoldAnswer(std::string answer) { goldAnswer_ = std::move(answer); }

  int size() const { return static_cast<int>(nodes_.size()); }
  bool contains(int id) const { return id >= 0 && id < size(); }
  const std::vector<TreeNode>& nodes() const { return nodes_; }
  const TreeNode& root() const { return nodes_.front(); }
  // Throws astro::Error when `id` is not a node.
  const TreeNode& node(int id) const;
  // Mutable access for statistics (visits, value, prior, terminal, answer, correct, text).
  // Callers must not edit id, parent, depth or children: use addChild.
  TreeNode& node(int id);

  // Appends a child of `parent` with the next free id and returns that id.
  int addChild(int parent, std::string text, double prior = 0.0);

  // Node ids from the root down to `id`, both included.
  std::vector<int> pathFromRoot(int id) const;
  // Proper ancestors of `id`, nearest first (parent, grandparent, ..., root).
  std::vector<int> ancestors(int id) const;
  // True when `ancestor` lies on the path from the root to `id` and differs from it.
  bool isAncestor(int ancestor, int id) const;
  // Ids of all terminal nodes, ascending.
  std::vector<int> terminals() const;
  std::vector<int> correctTerminals() const;

  // Checks the structural invariants: ids dense and equal to positions, node 0 the only root
  // with empty text, parents exist, no cycles, depth = parent depth + 1, children lists match the
  // parent links. Throws astro::Error "<source>: nodes[i].<field>: ..." on the first violation.
  void validate(std::string_view source = "tree") const;

  bool operator==(const SearchTree&) const = default;

 private:
  std::string problem_;
  std::string goldAnswer_;
  std::vector<TreeNode> nodes_;
};

// The tree's problem (its text as the question, its gold answer): what a domain is resolved from
// when only trees are at hand (domain_registry.h), as the search resolved it from the dataset.
math::Problem treeProblem(const SearchTree& tree);

}  // namespace astro::search
