// The self-evaluation quality filter for correct solutions (ASTRO, arXiv 2507.00417, search
// trajectory generation; https://arxiv.org/html/2507.00417v1): the policy judges each correct
// terminal's whole solution several times, and only solutions that every vote calls valid
// reasoning stay correct. Off by default, and off for the miniature world, whose verifier checks
// every step's arithmetic already.
#pragma once

#include <cstdint>

#include "core/math/problem.h"
#include "core/search/policy.h"
#include "core/search/tree.h"

namespace astro::search {

// The paper keeps only unanimous "valid" votes. Its prompt, vote count and sampling temperature
// could not be read from this machine (only the abstract and summaries of its method are in the
// stored pages), so K = `votes`, the temperature and the prompt (policy_language_model.cpp) are
// our choices, exposed as parameters (docs/mcts.md).
struct SelfEvaluationOptions {
  int votes = 0;  // K judgments per correct terminal; 0: the filter is off
  double temperature = 1.0;
  int maxTokens = 8;  // a verdict is one word; a little room for a leading space or article
};

struct SelfEvaluationCounts {
  long long judged = 0;    // correct terminals put to the vote
  long long rejected = 0;  // of those, not unanimously valid: now correct = false
};

// Judges every correct terminal of `tree` with options.votes votes from `policy`, in one batched
// judgeSolutions call. A solution without a unanimous "valid" keeps its answer but gets
// correct = false: it no longer counts as a solution (linearization will not end a trace at it),
// and the interchange format, which has no field for votes, stays as it is. Values and visits
// are not changed. `seedBase` seeds the votes (with the node id), so the filter is reproducible.
SelfEvaluationCounts filterBySelfEvaluation(SearchTree& tree, const math::Problem& problem,
                                            StepPolicy& policy,
                                            const SelfEvaluationOptions& options,
                                            std::uint64_t seedBase);

}  // namespace astro::search
