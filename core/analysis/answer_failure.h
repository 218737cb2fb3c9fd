// Why a wrong answer is wrong (issue #21: where a policy fails decides what search-taught traces
// can fix). Judged through the domain's verifier and step validator, as judgeReturns judges
// branches (backtrack_behaviour.h), on the final path: the ordinary steps that the trace's last
// \boxed{} answer continues from (steps abandoned by a backtrack or restart are not on it).
//   - invalid step: the step validator rejects a step of that path in the state the steps before
//     it lead to (the countdown world: wrong arithmetic, a number not remaining, a wrong
//     "Remaining" list, malformed text): the policy broke the rules, it did not search badly;
//   - wrong answer: every step of the path is valid and the answer is wrong (the countdown
//     world: the steps miss the target, or the expression does not follow them);
//   - no answer: no final answer could be extracted.
// Without a step validator every answered failure counts as a wrong answer.
#pragma once

#include <string_view>

#include "core/analysis/step_graph.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"

namespace astro::domain {
class StepValidator;
}

namespace astro::analysis {

enum class AnswerFailure { kNone, kInvalidStep, kWrongAnswer, kNoAnswer };

// "none", "invalid_step", "wrong_answer", "no_answer".
std::string_view answerFailureName(AnswerFailure failure);

// `graph` is the detection of `trace` for `problem`, `verdict` the verifier's grade of the
// whole trace; `stepValidator` may be null.
AnswerFailure judgeAnswer(const StepGraph& graph, std::string_view trace,
                          const math::Problem& problem, const math::Verdict& verdict,
                          const domain::StepValidator* stepValidator);

// Counts over a set of answers, kept as counts so seeds and checkpoints pool exactly.
struct AnswerFailures {
  int answers = 0;
  int invalidStep = 0;
  int wrongAnswer = 0;
  int noAnswer = 0;

  void add(AnswerFailure failure);
  AnswerFailures& operator+=(const AnswerFailures& other);
  bool operator==(const AnswerFailures&) const = default;
  int wrong() const { return invalidStep + wrongAnswer + noAnswer; }
};

}  // namespace astro::analysis
