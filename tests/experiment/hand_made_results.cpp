#include "tests/experiment/hand_made_results.h"

#include <cmath>

namespace astro::test {

namespace {

train::SweepPoint point(const char* label, int step, double accuracy, double backtracks,
                        double tokens) {
  train::SweepPoint p;
  p.checkpoint = {label, step, {}};
  p.evaluation.passAt1 = accuracy;
  p.evaluation.problemPassAt1 = solved(accuracy);
  p.evaluation.greedyAccuracy = accuracy + 0.05;
  p.evaluation.meanBacktracks = backtracks;
  p.evaluation.meanCompletionTokens = tokens;
  return p;
}

}  // namespace

std::vector<double> solved(double accuracy, int first) {
  std::vector<double> rates(kPuzzles, 0.0);
  const int count = int(std::lround(accuracy * kPuzzles));
  for (int i = 0; i < count; ++i) rates[std::size_t((first + i) % kPuzzles)] = 1.0;
  return rates;
}

experiment::MiniatureResults handMadeResults() {
  experiment::MiniatureResults r;
  r.options = {{"evaluation", {{"samples_per_problem", 4}}}};
  r.heldOutProblems = kPuzzles;
  r.base.passAt1 = 0.1;
  r.base.problemPassAt1 = solved(0.1);
  r.base.greedyAccuracy = 0.2;
  r.base.meanCompletionTokens = 60;
  r.searchedProblems = 128;
  r.solvedTrees = 96;
  r.astro.sftExamples = 96;
  r.direct.sftExamples = 96;
  // ASTRO: backtracks rise with accuracy exactly (r = 1); length does too, not linearly.
  r.astro.checkpoints = {point("start", 0, 0.2, 0.5, 100), point("checkpoint-2", 2, 0.3, 1.0, 120),
                         point("checkpoint-4", 4, 0.4, 1.5, 125),
                         point("checkpoint-6", 6, 0.5, 2.0, 170)};
  // Direct: never backtracks, so its backtrack coefficient is undefined.
  r.direct.checkpoints = {point("start", 0, 0.15, 0, 60), point("checkpoint-2", 2, 0.2, 0, 62),
                          point("checkpoint-4", 4, 0.25, 0, 61),
                          point("checkpoint-6", 6, 0.3, 0, 65)};
  r.astro.rlSteps = {{.step = 1, .reward = -0.5, .responseLength = 110, .backtracks = 1.0},
                     {.step = 2, .reward = -0.25, .responseLength = 118, .backtracks = 1.2}};
  r.astro.correlations = train::correlateSweep(r.astro.checkpoints);
  r.direct.correlations = train::correlateSweep(r.direct.checkpoints);
  auto pooled = r.astro.checkpoints;
  pooled.insert(pooled.end(), r.direct.checkpoints.begin(), r.direct.checkpoints.end());
  r.pooled = train::correlateSweep(pooled);
  r.stageSeconds = {{"base", 200}, {"search", 100}, {"astro/sft", 50}};
  return r;
}

}  // namespace astro::test
