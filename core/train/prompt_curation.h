// Prompt curation for RL as in the ASTRO paper: estimate each prompt's pass rate with the SFT
// policy and keep the prompts that are neither hopeless nor already solved (1% to 75%).
#pragma once

#include <vector>

#include "core/train/evaluation.h"

namespace astro::train {

struct CurationOptions {
  double minPassRate = 0.01;  // ASTRO RL prompt curation: keep pass rates in [1%, 75%]
  double maxPassRate = 0.75;
  EvaluationOptions estimate{.samplesPerProblem = 8, .greedy = false};
};

struct CurationResult {
  std::vector<math::Problem> kept;
  std::vector<double> passRates;  // per input problem, in input order
  int tooHard = 0;
  int tooEasy = 0;
};

CurationResult curatePrompts(const model::Sampler& policy,
                             const tokenizer::Tokenizer& tokenizer,
                             const std::vector<math::Problem>& problems,
                             const math::Verifier& verifier, const CurationOptions& options,
                             const std::function<void(const EvaluationProgress&)>& progress = {});

}  // namespace astro::train
