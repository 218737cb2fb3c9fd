// Search trees compared as batched or sharded search may reproduce them: logits, and so priors,
// can differ in their last bits between batch compositions (padding changes the length of
// attention's sums; a prefix may come from another tree's stored keys; docs/mcts.md), so priors
// are compared to a tolerance and everything else exactly.
#pragma once

#include <QString>
#include <cmath>
#include <vector>

#include "core/search/tree.h"

namespace astro::test {

inline bool sameTreeUpToPriors(const search::SearchTree& a, const search::SearchTree& b,
                               QString& why, double priorTolerance = 1e-5) {
  if (a.problem() != b.problem() || a.goldAnswer() != b.goldAnswer()) {
    why = "different problems: " + QString::fromStdString(a.problem()) + " vs " +
          QString::fromStdString(b.problem());
    return false;
  }
  if (a.size() != b.size()) {
    why = QString("%1 vs %2 nodes").arg(a.size()).arg(b.size());
    return false;
  }
  for (int id = 0; id < a.size(); ++id) {
    search::TreeNode left = a.node(id), right = b.node(id);
    if (std::abs(left.prior - right.prior) > priorTolerance) {
      why = QString("node %1: prior %2 vs %3").arg(id).arg(left.prior).arg(right.prior);
      return false;
    }
    left.prior = right.prior;
    if (!(left == right)) {
      why = QString("node %1 differs: '%2' vs '%3'")
                .arg(id)
                .arg(QString::fromStdString(left.text), QString::fromStdString(right.text));
      return false;
    }
  }
  return true;
}

// The same, tree by tree, for two lists in the same order; `why` names the first tree that differs.
inline bool sameTreesUpToPriors(const std::vector<search::SearchTree>& a,
                                const std::vector<search::SearchTree>& b, QString& why,
                                double priorTolerance = 1e-5) {
  if (a.size() != b.size()) {
    why = QString("%1 vs %2 trees").arg(a.size()).arg(b.size());
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    QString treeWhy;
    if (!sameTreeUpToPriors(a[i], b[i], treeWhy, priorTolerance)) {
      why = QString("tree %1: %2").arg(i).arg(treeWhy);
      return false;
    }
  }
  return true;
}

}  // namespace astro::test
