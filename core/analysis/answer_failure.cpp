// judgeAnswer and AnswerFailures (answer_failure.h).
#include "core/analysis/answer_failure.h"

#include <span>

#include "core/analysis/trace_path.h"
#include "core/domain/step_validator.h"

namespace astro::analysis {

std::string_view answerFailureName(AnswerFailure failure) {
  switch (failure) {
    case AnswerFailure::kNone:
      return "none";
    case AnswerFailure::kInvalidStep:
      return "invalid_step";
    case AnswerFailure::kWrongAnswer:
      return "wrong_answer";
    case AnswerFailure::kNoAnswer:
      return "no_answer";
  }
  return "none";
}

AnswerFailure judgeAnswer(const StepGraph& graph, std::string_view trace,
                          const math::Problem& problem, const math::Verdict& verdict,
                          const domain::StepValidator* stepValidator) {
  if (verdict.correct) return AnswerFailure::kNone;
  if (!verdict.answerFound) return AnswerFailure::kNoAnswer;
  if (stepValidator == nullptr || graph.steps.empty()) return AnswerFailure::kWrongAnswer;
  // The step holding the last \boxed{} (the one the verifier grades), else the last step.
  int last = static_cast<int>(graph.steps.size()) - 1;
  for (int i = last; i >= 0; --i) {
    const TraceStep& step = graph.steps[static_cast<std::size_t>(i)];
    if (holdsBoxedAnswer(trace.substr(step.begin, step.end - step.begin))) {
      last = i;
      break;
    }
  }
  const StepWalk walk = walkSteps(graph.steps);
  const std::vector<int> path = ordinaryPathTo(last, walk, graph.steps);
  const std::vector<std::string_view> texts = stepTexts(path, graph, trace);
  for (std::size_t p = 0; p < texts.size(); ++p) {
    if (!stepValidator->accepts(problem, std::span(texts).first(p), texts[p])) {
      return AnswerFailure::kInvalidStep;
    }
  }
  return AnswerFailure::kWrongAnswer;
}

void AnswerFailures::add(AnswerFailure failure) {
  ++answers;
  invalidStep += failure == AnswerFailure::kInvalidStep ? 1 : 0;
  wrongAnswer += failure == AnswerFailure::kWrongAnswer ? 1 : 0;
  noAnswer += failure == AnswerFailure::kNoAnswer ? 1 : 0;
}

AnswerFailures& AnswerFailures::operator+=(const AnswerFailures& other) {
  answers += other.answers;
  invalidStep += other.invalidStep;
  wrongAnswer += other.wrongAnswer;
  noAnswer += other.noAnswer;
  return *this;
}

}  // namespace astro::analysis
