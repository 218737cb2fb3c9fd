// miniatureSplits (miniature_splits.h): cut the splits, then one pass over every puzzle by key.
#include "core/experiment/miniature_splits.h"

#include <algorithm>
#include <map>
#include <string>

#include "core/base/error.h"
#include "core/world/countdown_puzzle.h"

namespace astro::experiment {

MiniatureSplits miniatureSplits(const std::vector<math::Problem>& train,
                                const std::vector<math::Problem>& test, int searchProblems,
                                int rlPrompts, int heldOutLimit) {
  if (int(train.size()) < searchProblems + 1) {
    throw UsageError("miniature experiment: " + std::to_string(train.size()) +
                     " training puzzles leave none for RL after searching " +
                     std::to_string(searchProblems));
  }
  const auto firstRl = std::ptrdiff_t(searchProblems);
  const auto lastRl = std::min(std::ptrdiff_t(train.size()), firstRl + std::ptrdiff_t(rlPrompts));
  const auto heldOutEnd = heldOutLimit > 0
                              ? std::min(std::ptrdiff_t(test.size()), std::ptrdiff_t(heldOutLimit))
                              : std::ptrdiff_t(test.size());
  MiniatureSplits splits{{train.begin(), train.begin() + firstRl},
                         {train.begin() + firstRl, train.begin() + lastRl},
                         {test.begin(), test.begin() + heldOutEnd}};

  std::map<std::string, std::string> owner;  // key -> "<set> puzzle <id>"
  for (const auto& [set, problems] :
       {std::pair{"search", &splits.search}, std::pair{"rl", &splits.rl},
        std::pair{"held-out", &splits.heldOut}}) {
    for (const math::Problem& problem : *problems) {
      const std::string key = world::canonicalKey(world::puzzleFromProblem(problem));
      const std::string name = std::string(set) + " puzzle " + problem.id;
      auto [at, inserted] = owner.emplace(key, name);
      if (!inserted) {
        throw Error("miniature experiment: " + name + " is " + at->second + " (both " + key +
                    "): the search, RL and held-out puzzles must be distinct");
      }
    }
  }
  return splits;
}

}  // namespace astro::experiment
