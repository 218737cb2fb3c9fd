#include "core/analysis/step_graph.h"

#include <algorithm>

namespace astro::analysis {

std::string_view stepRoleName(StepRole role) {
  switch (role) {
    case StepRole::kStep:
      return "step";
    case StepRole::kReflection:
      return "reflection";
    case StepRole::kBacktrack:
      return "backtrack";
    case StepRole::kRestart:
      return "restart";
  }
  return "step";
}

std::string_view edgeKindName(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kContinues:
      return "continues";
    case EdgeKind::kReflects:
      return "reflects";
    case EdgeKind::kBacktracks:
      return "backtracks";
    case EdgeKind::kRestarts:
      return "restarts";
  }
  return "continues";
}

std::string_view cueKindName(CueKind kind) {
  switch (kind) {
    case CueKind::kReflection:
      return "reflection";
    case CueKind::kBacktrack:
      return "backtrack";
    case CueKind::kRestart:
      return "restart";
    case CueKind::kAnswerCheck:
      return "answer_check";
    case CueKind::kFinalAnswer:
      return "final_answer";
    case CueKind::kCheck:
      return "check";
  }
  return "reflection";
}

int StepGraph::count(StepRole role) const {
  return static_cast<int>(std::count_if(steps.begin(), steps.end(),
                                        [&](const TraceStep& s) { return s.role == role; }));
}

int StepGraph::reflections() const {
  return static_cast<int>(
      std::count_if(steps.begin(), steps.end(), [](const TraceStep& s) { return s.reflects; }));
}

std::vector<StepEdge> buildEdges(const std::vector<TraceStep>& steps) {
  std::vector<StepEdge> edges;
  edges.reserve(steps.size() + steps.size() / 4);
  // Where the next ordinary step continues from, and how it got there.
  int resumeFrom = -1;
  EdgeKind resumeKind = EdgeKind::kContinues;
  for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
    const TraceStep& step = steps[static_cast<std::size_t>(i)];
    switch (step.role) {
      case StepRole::kStep:
        if (resumeFrom >= 0) edges.push_back({resumeFrom, i, resumeKind});
        resumeFrom = i;
        resumeKind = EdgeKind::kContinues;
        break;
      case StepRole::kReflection:
        if (i > 0) edges.push_back({i - 1, i, EdgeKind::kReflects});
        resumeFrom = i;
        resumeKind = EdgeKind::kContinues;
        break;
      case StepRole::kBacktrack:
        if (i > 0) edges.push_back({i - 1, i, EdgeKind::kReflects});
        if (step.returnsTo >= 0 && step.returnsTo < i) {
          edges.push_back({i, step.returnsTo, EdgeKind::kBacktracks});
          resumeFrom = step.returnsTo;
        } else {
          resumeFrom = i;  // unresolved: the next step hangs off the backtrack itself
        }
        resumeKind = EdgeKind::kContinues;
        break;
      case StepRole::kRestart:
        if (i > 0) edges.push_back({i - 1, i, EdgeKind::kReflects});
        resumeFrom = i;
        resumeKind = EdgeKind::kRestarts;
        break;
    }
  }
  return edges;
}

int resumePointAfter(const TraceStep& step, int index, int resumeFrom) {
  switch (step.role) {
    case StepRole::kStep:
    case StepRole::kReflection:
      return index;
    case StepRole::kBacktrack:
      return step.returnsTo >= 0 ? step.returnsTo : index;
    case StepRole::kRestart:
      return -1;
  }
  return resumeFrom;
}

}  // namespace astro::analysis
