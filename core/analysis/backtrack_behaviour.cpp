// judgeReturns and BacktrackBehaviour (backtrack_behaviour.h): the abandoned branch of each
// return is read off the parent chain the detectors build, then judged step by step.
#include "core/analysis/backtrack_behaviour.h"

#include <cmath>
#include <span>

#include "core/domain/step_validator.h"

namespace astro::analysis {

namespace {

struct Walk {
  std::vector<int> parentOf;      // the step each step continues from (-1: the problem)
  std::vector<int> resumeBefore;  // where the current path ended just before each step
};

// The same parent rules as ExactDetector::detect and buildEdges.
Walk walkSteps(const std::vector<TraceStep>& steps) {
  Walk walk;
  int resumeFrom = -1;
  for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
    const TraceStep& step = steps[static_cast<std::size_t>(i)];
    walk.resumeBefore.push_back(resumeFrom);
    walk.parentOf.push_back(step.role == StepRole::kStep ? resumeFrom : i - 1);
    resumeFrom = resumePointAfter(step, i, resumeFrom);
  }
  return walk;
}

// The ordinary steps of the path that ends at `last`, root first.
std::vector<int> ordinaryPathTo(int last, const Walk& walk, const std::vector<TraceStep>& steps) {
  std::vector<int> path;
  for (int at = last; at >= 0; at = walk.parentOf[static_cast<std::size_t>(at)]) {
    if (steps[static_cast<std::size_t>(at)].role == StepRole::kStep) path.push_back(at);
  }
  return {path.rbegin(), path.rend()};
}

bool isWrongStep(std::span<const std::string_view> before, std::string_view text,
                 const math::Problem& problem, const math::Verifier& verifier,
                 const domain::StepValidator* stepValidator) {
  if (text.find("\\boxed{") != std::string_view::npos) {
    const math::Verdict verdict = verifier.grade(problem, text);
    if (verdict.answerFound && !verdict.correct) return true;
  }
  return stepValidator != nullptr && !stepValidator->accepts(problem, before, text);
}

}  // namespace

ReturnJudgement judgeReturns(const StepGraph& graph, std::string_view trace,
                             const math::Problem& problem, const math::Verifier& verifier,
                             const domain::StepValidator* stepValidator) {
  ReturnJudgement judgement;
  const Walk walk = walkSteps(graph.steps);
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
    std::vector<std::string_view> texts;
    for (int at : path) {
      const TraceStep& s = graph.steps[static_cast<std::size_t>(at)];
      texts.push_back(trace.substr(s.begin, s.end - s.begin));
    }
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
