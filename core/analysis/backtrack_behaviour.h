// What a trace's returns (backtracks and restarts) were for (issue #21's behaviour metrics): a
// return that abandons a wrong branch is the search behaviour ASTRO teaches, one that abandons a
// sound branch is a reflex; an answer that returned at least once and still ends correct
// recovered. Judged only through the domain's verifier and step validator, so no domain is named.
//
// The abandoned branch of a return: the ordinary steps on the current path (the step graph's
// parent chain, step_graph.h) after the point returned to. For a backtrack to step k, the steps
// after k; for a restart, the whole path; for a backtrack whose target the detector could not
// resolve, the steps written since the previous return (or since the start).
// The branch is wrong when one of its steps
//   - holds a \boxed{} answer that the verifier grades wrong, or
//   - is rejected by the step validator (where the domain has one) in the state the path before
//     it leads to (the countdown world: wrong arithmetic, a number not remaining, malformed).
// Only boxed steps are graded: the verifier's fallbacks (a short bare answer) would grade every
// short reasoning step of a MATH trace as a wrong answer. A branch that merely stalls (valid
// steps, no answer) is not wrong by this rule.
#pragma once

#include <string_view>
#include <vector>

#include "core/analysis/step_graph.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"

namespace astro::domain {
class StepValidator;
}

namespace astro::analysis {

// One trace: its returns and those that abandon a wrong branch, as step indices in text order.
struct ReturnJudgement {
  std::vector<int> returns;           // steps with role kBacktrack or kRestart
  std::vector<int> afterWrongBranch;  // the subset of `returns` whose branch is wrong
};

// `graph` is the detection of `trace` for `problem`; `stepValidator` may be null (answers only).
ReturnJudgement judgeReturns(const StepGraph& graph, std::string_view trace,
                             const math::Problem& problem, const math::Verifier& verifier,
                             const domain::StepValidator* stepValidator);

// Counts over a set of answers, kept as counts so seeds and checkpoints pool exactly.
struct BacktrackBehaviour {
  int answers = 0;
  int returns = 0;  // backtracks + restarts
  int returnsAfterWrongBranch = 0;
  int answersWithReturn = 0;  // answers with at least one return
  int recoveredAnswers = 0;   // of those, the ones whose final answer is correct

  // One answer: its return count, how many follow a wrong branch, and its final verdict.
  void add(int answerReturns, int answerReturnsAfterWrongBranch, bool correct);
  BacktrackBehaviour& operator+=(const BacktrackBehaviour& other);
  bool operator==(const BacktrackBehaviour&) const = default;

  double returnsPerAnswer() const;  // NaN without answers
  double wrongBranchShare() const;  // returnsAfterWrongBranch / returns; NaN without returns
  double recoveryRate() const;      // recoveredAnswers / answersWithReturn; NaN without one
};

}  // namespace astro::analysis
