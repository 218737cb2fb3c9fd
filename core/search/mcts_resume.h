// Resumable MCTS over a dataset: problems whose finished tree is already in the store are
// skipped, every tree is appended to the store the moment it finishes, and a stop (or a kill)
// loses at most the trees still in progress.
#pragma once

#include <span>

#include "core/search/finished_tree_store.h"
#include "core/search/mcts.h"

namespace astro::search {

struct ResumableSearchSummary {
  int alreadyStored = 0;  // problems skipped because the store held their tree
  int searched = 0;       // trees finished (and stored) by this call
  int solved = 0;         // of those, trees holding at least one correct terminal
  MctsStats stats;
  bool stopped = false;
};

// `callbacks.onTreeFinished` is called after the tree is stored; its index is into `problems`.
ResumableSearchSummary searchIntoStore(std::span<const math::Problem> problems, StepPolicy& policy,
                                       const math::Verifier& verifier, const MctsOptions& options,
                                       FinishedTreeStore& store,
                                       const MctsCallbacks& callbacks = {});

}  // namespace astro::search
