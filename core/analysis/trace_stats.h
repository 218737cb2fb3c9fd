// Statistics of one sample (a model output): reasoning steps, backtracks, restarts, reflections,
// tokens, the final answer and its verdict. Counting follows the step graph (step_graph.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/analysis/approx_tokens.h"
#include "core/analysis/step_graph.h"
#include "core/analysis/trace_detector.h"

namespace astro::analysis {

struct TraceStats {
  int steps = 0;        // ordinary reasoning steps (role kStep)
  int backtracks = 0;   // steps with role kBacktrack
  int restarts = 0;     // steps with role kRestart
  int reflections = 0;  // steps holding a reflection cue
  std::int64_t tokens = 0;
  std::string answer;           // the final answer (verifier's extraction, else last \boxed{})
  std::optional<bool> correct;  // nullopt when ungraded
};

// Counts from a detected graph; tokens by `countTokens` (approximateTokenCount when empty).
// The answer is the content of the last \boxed{...}; `correct` is left for the caller (grading).
TraceStats traceStats(const StepGraph& graph, std::string_view trace,
                      const TokenCounter& countTokens = {});

// Detects and counts in one call.
TraceStats analyzeTrace(const TraceDetector& detector, std::string_view trace,
                        const TokenCounter& countTokens = {});

// Content of the last \boxed{...} (braces balanced), or empty when there is none.
std::string lastBoxedAnswer(std::string_view text);

}  // namespace astro::analysis
