// Evaluation of a policy on a problem set: k sampled answers per problem (pass@1 averaged over
// them, pass@k), plus a greedy answer, every sample graded by the domain's verifier and kept with
// its trace statistics (steps, backtracks, restarts, reflections, tokens). Every row samples from
// its own seed (the run's seed, its problem's index, its sample index), so the result does not
// depend on batching, nor on how many ranks share the problems.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/answer_failure.h"
#include "core/analysis/backtrack_behaviour.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"

namespace astro::model {
class Sampler;
}
namespace astro::tokenizer {
class Tokenizer;
}
namespace astro::analysis {
class TraceDetector;
}
namespace astro::domain {
class StepValidator;
}

namespace astro::train {

struct EvaluationOptions {
  int samplesPerProblem = 4;  // k; issue/paper default: pass@1 averaged over 4 samples
  double temperature = 1.0;
  double topP = 1.0;
  bool greedy = true;         // also one temperature-0 answer per problem
  int maxNewTokens = 512;
  std::uint64_t seed = 0;
  int batchSize = 64;         // prompts decoded together
  std::vector<int> reportPassAtK = {1};  // extra pass@k values (k <= samplesPerProblem)
  // Finds the steps, backtracks and restarts of each sample; null: the exact detector of math's
  // phrase set and step delimiter. Stages and commands pass their domain's
  // (ExactDetector::forDomain), as GRPO's countBacktracks.
  std::shared_ptr<const analysis::TraceDetector> traceDetector;
  // With the verifier, judges which returns abandon a wrong branch
  // (analysis/backtrack_behaviour.h): the domain's step validator where it has one; null: only
  // wrongly graded answers count.
  std::shared_ptr<const domain::StepValidator> stepValidator;
  // Split the problems across the ranks of this process's data-parallel job (core/dist; RANK/
  // WORLD_SIZE or SLURM_*): rank r generates the problems with index i % worldSize == r, the
  // completions are all-gathered in problem order, and every rank returns the result one process
  // would. Every rank must call evaluatePolicy. No effect in a job of one process.
  bool shardAcrossRanks = false;
};

struct EvaluationSample {
  std::size_t problemIndex = 0;
  int sampleIndex = 0;  // -1: the greedy answer
  std::string completion;
  int tokens = 0;
  bool correct = false;
  std::string extracted;
  std::string rule;
  std::string finishReason;
  // Trace statistics (core/analysis/trace_stats.h) by EvaluationOptions::traceDetector.
  int steps = 0;
  int backtracks = 0;
  int restarts = 0;
  int reflections = 0;
  int returnsAfterWrongBranch = 0;  // backtracks + restarts that abandon a wrong branch
  // Why the answer is wrong (core/analysis/answer_failure.h; kNone when correct).
  analysis::AnswerFailure failure = analysis::AnswerFailure::kNone;
};

struct EvaluationResult {
  double passAt1 = 0;         // mean over problems of (correct samples / samples)
  double greedyAccuracy = 0;  // when options.greedy
  std::vector<std::pair<int, double>> passAtK;  // (k, mean unbiased pass@k)
  double meanCompletionTokens = 0;  // over the sampled (not greedy) completions, as below
  double meanBacktracks = 0;
  double meanRestarts = 0;
  // Per problem, in the problems' order: correct samples / samples (greedy excluded). What a
  // paired comparison of two models on the same problems resamples (analysis/paired_bootstrap.h).
  std::vector<double> problemPassAt1;
  // Returns, returns after a wrong branch and recovery over the sampled answers (greedy
  // excluded); nullopt when read from a summary written before they were kept.
  std::optional<analysis::BacktrackBehaviour> behaviour;
  // Why the sampled answers are wrong (greedy excluded); nullopt when read from a summary
  // written before it was kept.
  std::optional<analysis::AnswerFailures> failures;
  std::vector<EvaluationSample> samples;
};

struct EvaluationProgress {
  std::int64_t done = 0;   // completions generated so far (by this rank, when sharded)
  std::int64_t total = 0;
};

// The prompt the policy sees for a problem: the user turn in the tokenizer's chat format with
// the assistant header appended.
std::vector<std::int32_t> problemPrompt(const math::Problem& problem,
                                        const tokenizer::Tokenizer& tokenizer);

EvaluationResult evaluatePolicy(const model::Sampler& model,
                                const tokenizer::Tokenizer& tokenizer,
                                const std::vector<math::Problem>& problems,
                                const math::Verifier& verifier, const EvaluationOptions& options,
                                const std::function<void(const EvaluationProgress&)>& progress = {});

}  // namespace astro::train
