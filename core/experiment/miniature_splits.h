// The miniature experiment's three puzzle sets (issue #21: a held-out set that overlaps the
// training puzzles is not a result). Search takes the first `searchProblems` puzzles of the
// world's train split (what the search job reads with its limit), RL the next `rlPrompts`, and
// every model is evaluated on the test split (its first `heldOutLimit`; 0: all). The generator
// already keeps train and test apart by (sorted numbers, target) (world::canonicalKey); this
// checks all three sets against each other and themselves, whatever wrote the files.
#pragma once

#include <vector>

#include "core/math/problem.h"

namespace astro::experiment {

struct MiniatureSplits {
  std::vector<math::Problem> search;
  std::vector<math::Problem> rl;  // before curation; fewer than asked when train runs out
  std::vector<math::Problem> heldOut;
};

// Throws UsageError when `train` leaves no puzzle for RL after search, and astro::Error naming
// both puzzles when two of them (in one set or across sets) share a key.
MiniatureSplits miniatureSplits(const std::vector<math::Problem>& train,
                                const std::vector<math::Problem>& test, int searchProblems,
                                int rlPrompts, int heldOutLimit);

}  // namespace astro::experiment
