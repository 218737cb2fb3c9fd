// The difference of two arms evaluated on the same puzzles under several seeds (ASTRO-RL minus
// Direct-RL, issue #21), with a two-level paired percentile bootstrap: each resample draws the
// seeds with replacement, then within each drawn seed the puzzles with replacement, and takes
// both arms' scores of the same drawn puzzles (paired). Seed-to-seed spread (the base model,
// search and training all reseeded) and puzzle-to-puzzle spread both widen the interval; a
// single seed's lucky run cannot make it exclude 0 alone.
#pragma once

#include <vector>

#include "core/analysis/bootstrap.h"

namespace astro::analysis {

// One seed's per-puzzle scores of the two arms (e.g. pass@1 from 8 samples), puzzle i of `a`
// and of `b` being the same puzzle. Seeds may hold different numbers of puzzles.
struct PairedScores {
  std::vector<double> a;
  std::vector<double> b;
};

struct PairedDifference {
  // Mean over seeds of each seed's mean of a - b (seeds weigh the same), and its interval.
  Interval difference;
  // Share of resamples whose difference is <= 0: a one-sided bootstrap p-value for "a > b".
  double shareAtOrBelowZero = 0.0;
  int seeds = 0;
  int puzzles = 0;  // summed over seeds
};

// Throws astro::Error when there is no seed, a seed has no puzzle, or a seed's a and b differ in
// length (naming the seed).
PairedDifference pairedBootstrapDifference(const std::vector<PairedScores>& seeds,
                                           const BootstrapOptions& options = {});

// One arm's mean over seeds (each seed's puzzle mean weighing the same) with the same two-level
// resampling: the difference from an arm that scores 0 everywhere. Throws as above.
Interval seedPuzzleBootstrapMean(const std::vector<std::vector<double>>& seeds,
                                 const BootstrapOptions& options = {});

}  // namespace astro::analysis
