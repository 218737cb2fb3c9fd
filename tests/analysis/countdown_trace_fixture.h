// Countdown traces for 8, 3, 5, 7 -> 18 written paragraph by paragraph, with the step graph given
// directly (what a detector would find), so a test judges only what it is about. Shared by the
// backtrack behaviour and answer failure tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/step_graph.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_step.h"

namespace astro::test {

struct Paragraph {
  std::string text;
  analysis::StepRole role = analysis::StepRole::kStep;
  int returnsTo = -1;
};

inline Paragraph back(int to) { return {"Wait. Back.", analysis::StepRole::kBacktrack, to}; }
inline Paragraph restart() { return {"Wait. Start over.", analysis::StepRole::kRestart}; }

struct Trace {
  std::string text;
  analysis::StepGraph graph;
};

// The paragraphs joined by blank lines, each one step of the graph.
inline Trace traceOf(const std::vector<Paragraph>& paragraphs) {
  Trace trace;
  for (const Paragraph& p : paragraphs) {
    if (!trace.text.empty()) trace.text += "\n\n";
    const std::size_t begin = trace.text.size();
    trace.text += p.text;
    trace.graph.steps.push_back(
        {begin, trace.text.size(), p.role, p.role != analysis::StepRole::kStep, p.returnsTo});
  }
  return trace;
}

inline const world::CountdownPuzzle kPuzzle{{8, 3, 5, 7}, 18, {}};

// A valid step from `state`, which it advances.
inline std::string step(world::CountdownState& state, int index, std::int64_t left,
                        world::Operator op, std::int64_t right) {
  auto applied = world::applyStep(state, left, op, right, kPuzzle.rules);
  state.remaining = applied.step->remaining;
  return world::renderStep(index, *applied.step);
}

}  // namespace astro::test
