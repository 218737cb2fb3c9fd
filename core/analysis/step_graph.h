// A chain of thought as a directed graph of steps (docs/analysis.md draws the rules):
//  - a step continues from the step before it ("continues"),
//  - a reflection paragraph hangs off the step it doubts ("reflects"),
//  - a backtrack paragraph returns to an earlier step k ("backtracks", edge to k), and the next
//    step continues from k,
//  - a restart paragraph returns to the problem; the next step starts a new attempt ("restarts").
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace astro::analysis {

enum class StepRole { kStep, kReflection, kBacktrack, kRestart };
enum class EdgeKind { kContinues, kReflects, kBacktracks, kRestarts };
// kCheck: a grounded reflection's check, between the reflection and its verdict (issue #21).
enum class CueKind { kReflection, kBacktrack, kRestart, kAnswerCheck, kFinalAnswer, kCheck };

std::string_view stepRoleName(StepRole role);  // "step", "reflection", "backtrack", "restart"
std::string_view edgeKindName(EdgeKind kind);  // "continues", "reflects", "backtracks", "restarts"
// "reflection", "backtrack", "restart", "answer_check", "final_answer", "check" (render_trace.h's
// names).
std::string_view cueKindName(CueKind kind);

struct TraceStep {
  std::size_t begin = 0;  // byte span in the trace, end exclusive
  std::size_t end = 0;
  StepRole role = StepRole::kStep;
  bool reflects = false;  // holds a reflection cue (a backtrack or restart usually does too)
  int returnsTo = -1;     // backtrack: the step index returned to; -1 when unresolved
};

// A phrase the detector recognised, with its byte span (for highlighting and for comparing the
// detectors).
struct Cue {
  CueKind kind = CueKind::kReflection;
  std::size_t begin = 0;
  std::size_t end = 0;
  int step = 0;  // index of the step holding it
};

struct StepEdge {
  int from = 0;
  int to = 0;
  EdgeKind kind = EdgeKind::kContinues;
  bool operator==(const StepEdge&) const = default;
};

struct StepGraph {
  std::vector<TraceStep> steps;
  std::vector<Cue> cues;
  std::vector<StepEdge> edges;

  int count(StepRole role) const;
  int backtracks() const { return count(StepRole::kBacktrack); }
  int restarts() const { return count(StepRole::kRestart); }
  int reflections() const;  // steps with reflects == true
};

// Derives the edges from the steps' roles and return targets (the rules at the top).
std::vector<StepEdge> buildEdges(const std::vector<TraceStep>& steps);

// The detectors' walk along the current path: the step the next ordinary step continues from
// after `step` (at `index`), given the one it would have continued from before; -1 after a
// restart (the next step starts a fresh path).
int resumePointAfter(const TraceStep& step, int index, int resumeFrom);

}  // namespace astro::analysis
