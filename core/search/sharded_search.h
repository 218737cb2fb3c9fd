// A resumable search split across the ranks of this process's data-parallel job (core/dist): every
// rank decides the same to-do list (rank 0 reads the store, broadcasts which problems it holds),
// searches the problems whose to-do index i has i % worldSize == rank, and sends each finished
// tree to rank 0, which alone stores them, in to-do order. So N ranks store what one would.
#pragma once

#include <span>
#include <string>

#include "core/search/finished_tree_store.h"
#include "core/search/mcts.h"
#include "core/search/mcts_resume.h"

namespace astro::search {

// Every rank of the job calls it with the same problems and options. `store`: rank 0's, nullptr
// on the others (they never touch it). `device` picks the collectives' backend (Gloo for cpu).
//
// The to-do list is searched in chunks of treesPerBatch * worldSize problems: each rank searches
// its treesPerBatch of a chunk as one batch (as one process refills its batch, all its trees
// finish in the same round), then the chunk's trees are gathered and stored. A tree's randomness
// depends on its problem and options.seed only (mcts.cpp), so which rank searched it does not
// matter, up to logits that differ in their last bits between batch compositions.
//
// callbacks.onTreeFinished: on the rank that searched the tree, after rank 0 stored it (index into
// `problems`); onProgress: rank 0 only, with the whole job's counters; stop: read on rank 0 and
// obeyed by every rank between chunks. The summary counts the whole job on every rank.
ResumableSearchSummary searchIntoStoreAcrossRanks(
    std::span<const math::Problem> problems, StepPolicy& policy, const math::Verifier& verifier,
    const MctsOptions& options, FinishedTreeStore* store, const MctsCallbacks& callbacks,
    const std::string& device);

// The sum over the job's ranks of each rank's `value` (every rank calls it; every rank gets it).
long long sumAcrossRanks(long long value, const std::string& device);

}  // namespace astro::search
