// collectRollouts (grpo_rollouts.h): sharded sampling, the gather in row order, and grading.
#include "core/train/detail/grpo_rollouts.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "core/train/detail/gather_generations.h"
#include "core/train/evaluation.h"
#include "core/train/grpo_advantages.h"

namespace astro::train::detail {

std::vector<std::size_t> stepPrompts(std::size_t count, const GrpoOptions& options, int step) {
  std::vector<std::size_t> chosen;
  for (int i = 0; i < options.promptsPerStep; ++i) {
    std::size_t flat = std::size_t(step) * std::size_t(options.promptsPerStep) + std::size_t(i);
    std::size_t epoch = flat / count;
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937_64(options.seed * 7919ULL + epoch));
    chosen.push_back(order[flat % count]);
  }
  return chosen;
}

StepRollouts collectRollouts(const model::LanguageModel& policy,
                             const tokenizer::Tokenizer& tokenizer,
                             const std::vector<math::Problem>& prompts,
                             const math::Verifier& verifier, const GrpoOptions& options, int step,
                             const std::function<int(std::string_view)>& countBacktracks,
                             dist::detail::Communicator& communicator) {
  StepRollouts out;
  auto chosen = stepPrompts(prompts.size(), options, step);
  for (std::size_t index : chosen) {
    auto ids = problemPrompt(prompts[index], tokenizer);
    for (int g = 0; g < options.groupSize; ++g) out.promptIds.push_back(ids);
  }
  const std::size_t count = out.promptIds.size();

  // This rank's rows, each with the seed it has in the whole batch.
  const std::uint64_t stepSeed = options.seed * 1000003ULL + std::uint64_t(step);
  std::vector<std::size_t> rows;
  std::vector<std::vector<std::int32_t>> rowPrompts;
  model::GenerationOptions generation{.maxNewTokens = options.maxNewTokens,
                                      .temperature = options.temperature,
                                      .topP = options.topP,
                                      .seed = stepSeed,
                                      .stopIds = tokenizer.stopIds()};
  for (std::size_t row = std::size_t(communicator.rank()); row < count;
       row += std::size_t(communicator.worldSize())) {
    rows.push_back(row);
    rowPrompts.push_back(out.promptIds[row]);
    generation.rowSeeds.push_back(model::rowSeed(stepSeed, row));
  }
  std::vector<model::Generation> generated;
  if (!rowPrompts.empty()) generated = policy.generate(rowPrompts, generation);
  for (auto& generation : gatherGenerations(communicator, count, rows, std::move(generated))) {
    out.completionIds.push_back(std::move(generation.ids));
  }

  // Rewards (+1 correct, -1 otherwise) and group-relative advantages, the same on every rank.
  for (std::size_t i = 0; i < count; ++i) {
    const auto& problem = prompts[chosen[i / std::size_t(options.groupSize)]];
    GrpoRollout rollout;
    rollout.step = step + 1;
    rollout.group = int(i) / options.groupSize;
    rollout.indexInGroup = int(i) % options.groupSize;
    rollout.problemId = problem.id;
    rollout.prompt = problem.question;
    rollout.completion = tokenizer.decode(out.completionIds[i], true);
    rollout.tokens = int(out.completionIds[i].size());
    const math::Verdict verdict = verifier.grade(problem, rollout.completion);
    rollout.correct = verdict.correct;
    rollout.extracted = verdict.extracted;
    rollout.reward = rollout.correct ? 1.0 : -1.0;
    rollout.backtracks = countBacktracks(rollout.completion);
    out.rewards.push_back(rollout.reward);
    out.rollouts.push_back(std::move(rollout));
  }
  out.advantages =
      groupAdvantages(out.rewards, options.groupSize, {.divideByStd = options.divideByStd});
  for (std::size_t i = 0; i < count; ++i) out.rollouts[i].advantage = out.advantages[i];
  return out;
}

}  // namespace astro::train::detail
