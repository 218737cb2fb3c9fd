// judgeReturns and BacktrackBehaviour (backtrack_behaviour.h): the abandoned branch of each
// return is read off the parent chain the detectors build, then judged step by step.
#include "core/analysis/backtrack_behaviour.h"

#include <cmath>
#include <span>

#include "core/analysis/trace_path.h"

namespace astro::analysis {

ReturnJudgement judgeReturns(const StepGraph& graph, std::string_view trace,
                             const math::Problem& problem, const math::Verifier& verifier,
                             const domain::StepValidator* stepValidator) {
  ReturnJudgement judgement;
  const StepWalk walk = walkSteps(graph.steps);
  int previousReturn = -1;
  for (int r = 0; r < static_cast<int>(graph.steps.size()); ++r) {
    const TraceStep& step = graph.steps[static_cast<std::size_t>(r)];
    if (step.role != StepRole::kBacktrack && step.role != StepRole::kRestart) continue;
    judgement.returns.push_back(r);
    // Steps after `bound` on the path are abandoned (the header's definition).
    int bound = -1;
    if (step.role == StepRole::kBacktrack)
      bound = step.returnsTo >= 0 ? step.returnsTo : previousReturn;
    previousReturn = r;

    const std::vector<int> path =
        ordinaryPathTo(walk.resumeBefore[static_cast<std::size_t>(r)], walk, graph.steps);
    const std::vector<std::string_view> texts = stepTexts(path, graph, trace);
    for (std::size_t p = 0; p < path.size(); ++p) {
      if (path[p] <= bound) continue;
      if (isWrongStep(std::span(texts).first(p), texts[p], problem, verifier, stepValidator)) {
        judgement.afterWrongBranch.push_back(r);
        break;
      }
    }
  }
  return judgement;
}

void BacktrackBehaviour::add(int answerReturns, int answerReturnsAfterWrongBranch, bool correct) {
  ++answers;
  returns += answerReturns;
  returnsAfterWrongBranch += answerReturnsAfterWrongBranch;
  if (answerReturns > 0) {
    ++answersWithReturn;
    recoveredAnswers += correct ? 1 : 0;
  }
}

BacktrackBehaviour& BacktrackBehaviour::operator+=(const BacktrackBehaviour& other) {
  answers += other.answers;
  returns += other.returns;
  returnsAfterWrongBranch += other.returnsAfterWrongBranch;
  answersWithReturn += other.answersWithReturn;
  recoveredAnswers += other.recoveredAnswers;
  return *this;
}

double BacktrackBehaviour::returnsPerAnswer() const {
  return answers > 0 ? double(returns) / answers : NAN;
}

double BacktrackBehaviour::wrongBranchShare() const {
  return returns > 0 ? double(returnsAfterWrongBranch) / returns : NAN;
}

double BacktrackBehaviour::recoveryRate() const {
  return answersWithReturn > 0 ? double(recoveredAnswers) / answersWithReturn : NAN;
}

}  // namespace astro::analysis
