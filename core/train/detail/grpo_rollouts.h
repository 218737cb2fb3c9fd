// One GRPO step's rollouts (private to core/train): the step's prompts, G completions each from the
// current policy, their +1/-1 rewards and group-relative advantages. In a data-parallel job each
// rank samples every world-th completion with that row's own seed, and the completions are
// all-gathered in row order, so every rank holds exactly the rollouts one process would sample.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/dist/detail/communicator.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"
#include "core/model/language_model.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/grpo_options.h"
#include "core/train/grpo_trainer.h"

namespace astro::train::detail {

struct StepRollouts {
  std::vector<GrpoRollout> rollouts;                  // prompt-major, G per prompt
  std::vector<std::vector<std::int32_t>> promptIds;   // one per rollout
  std::vector<std::vector<std::int32_t>> completionIds;
  std::vector<double> rewards;
  std::vector<double> advantages;
};

// The prompts of step `step` (0-based): consecutive slices of per-epoch seeded shuffles.
std::vector<std::size_t> stepPrompts(std::size_t count, const GrpoOptions& options, int step);

StepRollouts collectRollouts(const model::LanguageModel& policy,
                             const tokenizer::Tokenizer& tokenizer,
                             const std::vector<math::Problem>& prompts,
                             const math::Verifier& verifier, const GrpoOptions& options, int step,
                             const std::function<int(std::string_view)>& countBacktracks,
                             dist::detail::Communicator& communicator);

}  // namespace astro::train::detail
