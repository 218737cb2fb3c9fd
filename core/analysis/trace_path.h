// The paths of a detected trace (step_graph.h) and the domain's judgement of their steps, shared
// by judgeReturns (backtrack_behaviour.h) and judgeAnswer (answer_failure.h).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/analysis/step_graph.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"

namespace astro::domain {
class StepValidator;
}

namespace astro::analysis {

// The detectors' walk over a trace's steps, with the same parent rules as ExactDetector::detect
// and buildEdges.
struct StepWalk {
  std::vector<int> parentOf;      // the step each step continues from (-1: the problem)
  std::vector<int> resumeBefore;  // where the current path ended just before each step
};
StepWalk walkSteps(const std::vector<TraceStep>& steps);

// The ordinary steps (role kStep) of the path that ends at step `last`, root first.
std::vector<int> ordinaryPathTo(int last, const StepWalk& walk,
                                const std::vector<TraceStep>& steps);

// The text of each step in `path`.
std::vector<std::string_view> stepTexts(const std::vector<int>& path, const StepGraph& graph,
                                        std::string_view trace);

// Whether a step's text holds a \boxed{} answer.
bool holdsBoxedAnswer(std::string_view text);

// A step that holds a \boxed{} answer the verifier grades wrong, or that the step validator
// (where the domain has one) rejects after the path `before`.
bool isWrongStep(std::span<const std::string_view> before, std::string_view text,
                 const math::Problem& problem, const math::Verifier& verifier,
                 const domain::StepValidator* stepValidator);

}  // namespace astro::analysis
