// Paths of a detected trace and their steps' judgement (trace_path.h).
#include "core/analysis/trace_path.h"

#include "core/domain/step_validator.h"

namespace astro::analysis {

StepWalk walkSteps(const std::vector<TraceStep>& steps) {
  StepWalk walk;
  int resumeFrom = -1;
  for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
    const TraceStep& step = steps[static_cast<std::size_t>(i)];
    walk.resumeBefore.push_back(resumeFrom);
    walk.parentOf.push_back(step.role == StepRole::kStep ? resumeFrom : i - 1);
    resumeFrom = resumePointAfter(step, i, resumeFrom);
  }
  return walk;
}

std::vector<int> ordinaryPathTo(int last, const StepWalk& walk,
                                const std::vector<TraceStep>& steps) {
  std::vector<int> path;
  for (int at = last; at >= 0; at = walk.parentOf[static_cast<std::size_t>(at)]) {
    if (steps[static_cast<std::size_t>(at)].role == StepRole::kStep) path.push_back(at);
  }
  return {path.rbegin(), path.rend()};
}

std::vector<std::string_view> stepTexts(const std::vector<int>& path, const StepGraph& graph,
                                        std::string_view trace) {
  std::vector<std::string_view> texts;
  texts.reserve(path.size());
  for (int at : path) {
    const TraceStep& step = graph.steps[static_cast<std::size_t>(at)];
    texts.push_back(trace.substr(step.begin, step.end - step.begin));
  }
  return texts;
}

bool holdsBoxedAnswer(std::string_view text) {
  return text.find("\\boxed{") != std::string_view::npos;
}

bool isWrongStep(std::span<const std::string_view> before, std::string_view text,
                 const math::Problem& problem, const math::Verifier& verifier,
                 const domain::StepValidator* stepValidator) {
  if (holdsBoxedAnswer(text)) {
    const math::Verdict verdict = verifier.grade(problem, text);
    if (verdict.answerFound && !verdict.correct) return true;
  }
  return stepValidator != nullptr && !stepValidator->accepts(problem, before, text);
}

}  // namespace astro::analysis
