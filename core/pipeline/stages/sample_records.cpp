// Evaluation samples and GRPO rollouts into the run store (sample_records.h).
#include "core/pipeline/stages/sample_records.h"

#include "core/analysis/trace_stats.h"
#include "core/store/workspace.h"

namespace astro::pipeline {

void recordEvaluationSamples(StageContext& context, const std::string& checkpoint,
                             const std::string& benchmark,
                             const std::vector<math::Problem>& problems,
                             const train::EvaluationResult& result) {
  std::vector<store::SampleRow> rows;
  rows.reserve(result.samples.size());
  for (const train::EvaluationSample& sample : result.samples) {
    const math::Problem& problem = problems.at(sample.problemIndex);
    rows.push_back(store::SampleRow{.problemId = problem.id,
                                    .sampleIndex = sample.sampleIndex,
                                    .prompt = problem.question,
                                    .completion = sample.completion,
                                    .answer = sample.extracted,
                                    .correct = sample.correct,
                                    .steps = sample.steps,
                                    .backtracks = sample.backtracks,
                                    .restarts = sample.restarts,
                                    .reflections = sample.reflections,
                                    .tokens = sample.tokens});
  }
  context.workspace.samples().replace(store::SampleSet{.runId = context.stage.runId,
                                                       .stageId = context.stage.id,
                                                       .kind = store::SampleKind::kEval,
                                                       .checkpoint = checkpoint,
                                                       .benchmark = benchmark},
                                      rows);
}

void recordRollouts(StageContext& context, const std::string& benchmark,
                    const std::vector<train::GrpoRollout>& rollouts,
                    const analysis::TraceDetector& detector) {
  if (rollouts.empty()) return;
  std::vector<store::SampleRow> rows;
  rows.reserve(rollouts.size());
  for (const train::GrpoRollout& rollout : rollouts) {
    const analysis::TraceStats stats = analysis::analyzeTrace(detector, rollout.completion);
    rows.push_back(store::SampleRow{.problemId = rollout.problemId,
                                    .sampleIndex = rollout.indexInGroup,
                                    .group = rollout.group,
                                    .prompt = rollout.prompt,
                                    .completion = rollout.completion,
                                    .answer = rollout.extracted,
                                    .correct = rollout.correct,
                                    .reward = rollout.reward,
                                    .advantage = rollout.advantage,
                                    .steps = stats.steps,
                                    .backtracks = rollout.backtracks,
                                    .restarts = stats.restarts,
                                    .reflections = stats.reflections,
                                    .tokens = rollout.tokens});
  }
  context.workspace.samples().replace(store::SampleSet{.runId = context.stage.runId,
                                                       .stageId = context.stage.id,
                                                       .kind = store::SampleKind::kRollout,
                                                       .step = rollouts.front().step,
                                                       .benchmark = benchmark},
                                      rows);
}

}  // namespace astro::pipeline
