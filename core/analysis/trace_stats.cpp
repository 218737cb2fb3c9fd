#include "core/analysis/trace_stats.h"

namespace astro::analysis {

std::string lastBoxedAnswer(std::string_view text) {
  static constexpr std::string_view kBoxed = "\\boxed{";
  std::size_t at = text.rfind(kBoxed);
  if (at == std::string_view::npos) return {};
  std::size_t begin = at + kBoxed.size();
  int depth = 1;
  for (std::size_t k = begin; k < text.size(); ++k) {
    if (text[k] == '{') ++depth;
    if (text[k] == '}' && --depth == 0) return std::string(text.substr(begin, k - begin));
  }
  return {};
}

TraceStats traceStats(const StepGraph& graph, std::string_view trace,
                      const TokenCounter& countTokens) {
  TraceStats stats;
  for (const TraceStep& step : graph.steps) {
    stats.steps += step.role == StepRole::kStep;
    stats.backtracks += step.role == StepRole::kBacktrack;
    stats.restarts += step.role == StepRole::kRestart;
    stats.reflections += step.reflects;
  }
  stats.tokens = countTokens ? countTokens(trace) : approximateTokenCount(trace);
  stats.answer = lastBoxedAnswer(trace);
  return stats;
}

TraceStats analyzeTrace(const TraceDetector& detector, std::string_view trace,
                        const TokenCounter& countTokens) {
  return traceStats(detector.detect(trace), trace, countTokens);
}

}  // namespace astro::analysis
