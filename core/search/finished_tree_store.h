// Where a resumable search keeps its finished trees: a JSONL file (JsonlTreeStore) or a run of
// the workspace database (RunTreeStore). searchIntoStore asks which problems are already done,
// searches the rest, and hands over each tree the moment it finishes.
#pragma once

#include <span>
#include <vector>

#include "core/math/problem.h"
#include "core/search/tree.h"

namespace astro::search {

class FinishedTreeStore {
 public:
  virtual ~FinishedTreeStore() = default;

  // One flag per problem, in order: true when that problem's tree is already stored.
  virtual std::vector<bool> storedFlags(std::span<const math::Problem> problems) = 0;
  // Stores `tree`, the finished search of `problem`, durably before returning.
  virtual void store(const math::Problem& problem, const SearchTree& tree) = 0;
};

}  // namespace astro::search
