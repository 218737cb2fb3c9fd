// PUCT selection, backup and priors: the per-iteration rules of MCTS (mcts_operations.h).
#include "core/search/mcts_operations.h"

#include <cmath>
#include <string>

#include "core/base/error.h"

namespace astro::search {

double puctScore(const TreeNode& child, int parentVisits, double exploration) {
  const double explorationTerm =
      exploration * child.prior * std::sqrt(static_cast<double>(parentVisits)) /
      (1.0 + static_cast<double>(child.visits));
  return child.q() + explorationTerm;
}

int selectChild(const SearchTree& tree, int parent, double exploration) {
  const TreeNode& parentNode = tree.node(parent);
  if (parentNode.children.empty()) {
    throw Error("selectChild: node " + std::to_string(parent) + " has no children");
  }
  int best = parentNode.children.front();
  double bestScore = puctScore(tree.node(best), parentNode.visits, exploration);
  for (int childId : parentNode.children) {
    const TreeNode& child = tree.node(childId);
    const double score = puctScore(child, parentNode.visits, exploration);
    const TreeNode& bestNode = tree.node(best);
    // Children are in ascending id order, so keeping the first of equals prefers the lower id.
    if (score > bestScore || (score == bestScore && child.prior > bestNode.prior)) {
      best = childId;
      bestScore = score;
    }
  }
  return best;
}

void backup(SearchTree& tree, int node, double reward) {
  for (int id : tree.pathFromRoot(node)) {
    TreeNode& onPath = tree.node(id);
    onPath.visits += 1;
    onPath.value += reward;
  }
}

double stepLikelihood(const ProposedStep& step) {
  if (step.tokenCount <= 0) return 1.0;
  return std::exp(step.logLikelihood / static_cast<double>(step.tokenCount));
}

void assignChildPriors(SearchTree& tree, int parent, std::span<const double> likelihoodById) {
  const std::vector<int> children = tree.node(parent).children;
  double total = 0.0;
  for (int id : children) total += likelihoodById[static_cast<std::size_t>(id)];
  for (int id : children) {
    tree.node(id).prior = total > 0.0 ? likelihoodById[static_cast<std::size_t>(id)] / total
                                      : 1.0 / static_cast<double>(children.size());
  }
}

}  // namespace astro::search
