// GRPO with verifiable rewards: for each prompt a group of completions from the current policy,
// +1/-1 from the verifier, group-relative advantages, a clipped token-level objective with an
// optional KL penalty, several optimisation epochs per batch. Every rollout is kept
// (outputDir/rollouts/step-<N>.jsonl) and the run resumes exactly from its last checkpoint.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/math/problem.h"
#include "core/math/verifier.h"
#include "core/train/grpo_options.h"

namespace astro::train {

struct GrpoRollout {
  int step = 0;
  int group = 0;         // prompt index within the step
  int indexInGroup = 0;
  std::string problemId;
  std::string prompt;
  std::string completion;
  std::string extracted;  // the answer the verifier found in the completion
  double reward = 0;
  double advantage = 0;
  int tokens = 0;
  int backtracks = 0;
  bool correct = false;
};

struct GrpoStepMetrics {
  int step = 0;  // 1-based
  int totalSteps = 0;
  double rewardMean = 0;
  double zeroVarianceGroups = 0;  // fraction of groups with equal rewards
  double responseLength = 0;      // mean completion tokens
  double backtracksPerResponse = 0;
  double kl = 0;           // to the reference (0 when klCoefficient is 0)
  double klToRollout = 0;  // update size after the step's optimisation
  double clipFraction = 0;
  double entropy = 0;      // mean per-token entropy of the rollout policy
  double learningRate = 0;
  double gradNorm = 0;
  double seconds = 0;
};

struct GrpoCallbacks {
  std::function<void(const GrpoStepMetrics&)> onStep;
  std::function<void(const std::vector<GrpoRollout>&)> onRollouts;
  std::function<void(const std::filesystem::path& checkpoint, int step)> onCheckpoint;
  std::function<bool()> shouldStop;
  // Backtracks in a completion; default: the exact detector of math's phrase set and step
  // delimiter. Stages and commands pass their domain's (ExactDetector::forDomain).
  std::function<int(std::string_view)> countBacktracks;
};

struct GrpoResult {
  int stepsTaken = 0;
  int finalStep = 0;
  bool stopped = false;
  bool resumed = false;
  std::filesystem::path finalModel;
};

GrpoResult runGrpo(const GrpoOptions& options, const std::vector<math::Problem>& prompts,
                   const math::Verifier& verifier, const GrpoCallbacks& callbacks = {});

}  // namespace astro::train
