// The one interface behind both detectors: text in, step graph out. ExactDetector parses traces
// this project rendered (it knows the phrase set); HeuristicDetector reads free-form outputs of
// other models through editable phrase lists.
#pragma once

#include <string>
#include <string_view>

#include "core/analysis/step_graph.h"

namespace astro::analysis {

class TraceDetector {
 public:
  virtual ~TraceDetector() = default;
  virtual std::string name() const = 0;
  // Thread-safe: detectors hold no mutable state, so one instance serves many threads.
  virtual StepGraph detect(std::string_view trace) const = 0;
};

}  // namespace astro::analysis
