// searchIntoStore (mcts_resume.h): filter out stored problems, search the rest, store as they end.
#include "core/search/mcts_resume.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace astro::search {

ResumableSearchSummary searchIntoStore(std::span<const math::Problem> problems,
                                       StepPolicy& policy, const math::Verifier& verifier,
                                       const MctsOptions& options, JsonlTreeStore& store,
                                       const MctsCallbacks& callbacks) {
  ResumableSearchSummary summary;
  // A dataset may repeat a problem: each stored tree accounts for one occurrence.
  std::unordered_map<std::string, int> storedLeft;
  std::vector<math::Problem> pending;
  std::vector<std::size_t> pendingIndex;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const math::Problem& problem = problems[i];
    const std::string key = problem.question + '\0' + problem.answer;
    auto [it, inserted] = storedLeft.try_emplace(key, 0);
    if (inserted) it->second = store.storedCount(problem.question, problem.answer);
    if (it->second > 0) {
      --it->second;
      ++summary.alreadyStored;
      continue;
    }
    pending.push_back(problem);
    pendingIndex.push_back(i);
  }

  MctsCallbacks storing = callbacks;
  storing.onTreeFinished = [&](std::size_t index, const SearchTree& tree) {
    store.append(tree);
    ++summary.searched;
    if (!tree.correctTerminals().empty()) ++summary.solved;
    if (callbacks.onTreeFinished) callbacks.onTreeFinished(pendingIndex[index], tree);
  };
  MctsResult result = searchBatch(pending, policy, verifier, options, storing);
  summary.stats = result.stats;
  summary.stopped = result.stopped;
  return summary;
}

}  // namespace astro::search
