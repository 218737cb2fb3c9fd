// The arithmetic of one MCTS iteration on a SearchTree, apart from the batched driver so each
// rule can be checked by hand: PUCT scores, child selection, priors and reward backup.
#pragma once

#include <span>

#include "core/search/policy.h"
#include "core/search/tree.h"

namespace astro::search {

// PUCT (ASTRO, arXiv 2507.00417, section 2.1): Q(child) + c * P(child) * sqrt(N(parent)) /
// (1 + N(child)), with Q the mean backed-up reward (0 while unvisited).
double puctScore(const TreeNode& child, int parentVisits, double exploration);

// The child of `parent` with the highest PUCT score; ties go to the higher prior, then to the
// lower id. Throws astro::Error when `parent` has no children.
int selectChild(const SearchTree& tree, int parent, double exploration);

// Adds `reward` to the value and 1 to the visits of `node` and of every ancestor up to the root.
void backup(SearchTree& tree, int node, double reward);

// The normalised sequence likelihood of a step, exp(log-likelihood / tokens): a step's
// probability per token, so long steps are not penalised for their length (1 for 0 tokens).
double stepLikelihood(const ProposedStep& step);

// Sets the priors of `parent`'s children to their likelihoods normalised to sum to 1
// (`likelihoodById[id]` for every node id of the tree); uniform when all are 0.
void assignChildPriors(SearchTree& tree, int parent, std::span<const double> likelihoodById);

}  // namespace astro::search
