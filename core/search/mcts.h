// Monte Carlo Tree Search over reasoning steps (ASTRO, arXiv 2507.00417, section 2.1), batched
// across problems: many trees advance together, so every expansion and every rollout of a round
// goes to the policy as one batch. Batch size 1 is the one-tree-at-a-time loop.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/domain/domain.h"
#include "core/domain/step_validator.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"
#include "core/search/policy.h"
#include "core/search/self_evaluation.h"
#include "core/search/tree.h"

namespace astro::search {

struct MctsOptions {
  // ASTRO (arXiv 2507.00417): 32 MCTS iterations per problem.
  int iterations = 32;
  // ASTRO (arXiv 2507.00417): maximum tree depth 50 steps; a step at this depth ends the path.
  int maxDepth = 50;
  // c in PUCT, Q + c * P * sqrt(N_parent) / (1 + N_child) (the paper's selection rule). The
  // paper's value is not used here: 1.0 is our choice (docs/mcts.md).
  double exploration = 1.0;
  // k, candidate next steps sampled per expansion (our choice, docs/mcts.md).
  int childrenPerExpansion = 4;
  // Sampling temperature of expansions (our choice, docs/mcts.md).
  double temperature = 1.0;
  // Simulation: roll the chosen new child out with the policy to a final answer (the paper's
  // simulation phase). kNone backs up 0 for a non-terminal leaf instead (no rollout).
  enum class Rollout { kPolicy, kNone };
  Rollout rollout = Rollout::kPolicy;
  double rolloutTemperature = 1.0;
  // Keep the rollout's steps in the tree as a chain of nodes, so a solution a rollout finds is a
  // terminal of the tree (procedure cloning needs it). Later expansions add siblings to them.
  bool keepRolloutNodes = true;
  int maxStepTokens = 256;
  // ASTRO (arXiv 2507.00417): the verifier's binary terminal reward, +1 correct / -1 otherwise.
  double correctReward = 1.0;
  double incorrectReward = -1.0;
  // Between two steps: a search job sets its domain's (Domain::stepDelimiter) before it runs.
  std::string stepDelimiter{domain::kDefaultStepDelimiter};
  // Trees that advance together (one policy batch holds up to this many states).
  int treesPerBatch = 16;
  std::uint64_t seed = 0;
  // The quality filter on finished trees (ASTRO, arXiv 2507.00417): correct terminals keep their
  // verdict only when all selfEvaluation.votes judgments of the policy call the reasoning valid.
  // Off (votes = 0) by default and for the miniature world (self_evaluation.h).
  SelfEvaluationOptions selfEvaluation;
  // Judge every proposed step with the domain's step validator before it enters the tree, where
  // the domain has one (Domain::makeStepValidator; search jobs install it): invalid steps are
  // dropped at expansion and end a rollout there. Not in the paper, whose steps are free text;
  // our choice for checkable worlds (docs/mcts.md), so wrong arithmetic never reaches an ASTRO
  // trace.
  bool validateSteps = true;
  // With validateSteps: keep each step the validator refuses as a dead end of the tree (a
  // terminal with no answer and correct = false, reward -1) instead of dropping it. The policy's own wrong steps then reach the ASTRO traces as detours, each
  // followed by a reflection and a return (issue #21: a tiny policy's errors are wrong
  // arithmetic, which a tree without them never shows it how to catch). Off by default.
  bool keepInvalidSteps = false;

  // Throws UsageError naming the field when a value is out of range.
  void validate() const;
};

struct MctsStats {
  long long simulations = 0;     // iterations completed, all trees together
  long long policyTokens = 0;    // tokens of every step the policy generated
  long long proposeCalls = 0;    // batched StepPolicy::proposeSteps calls
  long long rolloutCalls = 0;    // batched StepPolicy::rollout calls
  long long statesExpanded = 0;  // states sent to proposeSteps
  long long statesRolledOut = 0;
  int treesFinished = 0;
  int treesTotal = 0;
  long long solutionsJudged = 0;    // correct terminals put to the self-evaluation vote
  long long solutionsRejected = 0;  // of those, not unanimously valid (now correct = false)
  long long stepsRejected = 0;      // proposed or rolled-out steps the validator refused
  long long deadEndsKept = 0;       // of those, kept as dead ends (MctsOptions::keepInvalidSteps)
};

struct MctsCallbacks {
  // Called once per tree as soon as it has run all its iterations and the self-evaluation filter
  // (when on) has judged it (persist it here).
  std::function<void(std::size_t problemIndex, const SearchTree& tree)> onTreeFinished;
  // Called after every round of the batched loop.
  std::function<void(const MctsStats& stats)> onProgress;
  // Checked between rounds; when set, unfinished trees are dropped and searchBatch returns.
  const std::atomic<bool>* stop = nullptr;
  // Judges proposed steps (MctsOptions::validateSteps decides whether a job installs one);
  // nullptr: every step is kept. Borrowed for the call.
  const domain::StepValidator* validator = nullptr;
};

struct MctsResult {
  std::vector<std::optional<SearchTree>> trees;  // per problem; nullopt when stopped before it
  MctsStats stats;
  bool stopped = false;
};

// Runs options.iterations MCTS iterations on every problem, options.treesPerBatch trees at a time
// (a finished tree's slot is refilled with the next problem). Each round selects a leaf in every
// active tree, expands all leaves in one proposeSteps call, rolls all new children out in one
// rollout call, grades terminals with `verifier`, and backs the rewards up.
MctsResult searchBatch(std::span<const math::Problem> problems, StepPolicy& policy,
                       const math::Verifier& verifier, const MctsOptions& options,
                       const MctsCallbacks& callbacks = {});

// One problem, alone: the same loop with a batch of one.
SearchTree searchOne(const math::Problem& problem, StepPolicy& policy,
                     const math::Verifier& verifier, const MctsOptions& options);

}  // namespace astro::search
