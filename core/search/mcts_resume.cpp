// searchIntoStore (mcts_resume.h): filter out stored problems, search the rest, store as they end.
#include "core/search/mcts_resume.h"

#include <vector>

namespace astro::search {

ResumableSearchSummary searchIntoStore(std::span<const math::Problem> problems, StepPolicy& policy,
                                       const math::Verifier& verifier, const MctsOptions& options,
                                       FinishedTreeStore& store, const MctsCallbacks& callbacks) {
  ResumableSearchSummary summary;
  std::vector<math::Problem> pending;
  std::vector<std::size_t> pendingIndex;
  const std::vector<bool> stored = store.storedFlags(problems);
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (stored[i]) {
      ++summary.alreadyStored;
      continue;
    }
    pending.push_back(problems[i]);
    pendingIndex.push_back(i);
  }

  MctsCallbacks storing = callbacks;
  storing.onTreeFinished = [&](std::size_t index, const SearchTree& tree) {
    store.store(pending[index], tree);
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
