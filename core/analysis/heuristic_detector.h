// The heuristic detector for free-form outputs of other models (R1-style "Wait,", "Let me
// re-check", "Going back to ...", "Alternatively, ..."): steps by splitSteps, roles from the
// editable phrase lists (heuristic_phrases.h), and backtrack targets resolved from a quoted step,
// a "step N" reference, or else the branch point before the abandoned step (docs/analysis.md).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/analysis/heuristic_phrases.h"
#include "core/analysis/step_splitter.h"
#include "core/analysis/trace_detector.h"

namespace astro::analysis {

class HeuristicDetector : public TraceDetector {
 public:
  explicit HeuristicDetector(HeuristicPhrases phrases = defaultHeuristicPhrases(),
                             SplitOptions split = {});
  std::string name() const override { return "heuristic:" + phrases_.id; }
  StepGraph detect(std::string_view trace) const override;

 private:
  enum class Group { kReflection, kAlternative, kBacktrack, kRestart };
  struct Phrase {
    std::string text;  // lowercase
    Group group;
  };
  struct Match {
    Group group;
    std::size_t begin;  // in the lowercased window
    std::size_t length;
  };
  // Phrases that open a step, and phrases found anywhere in the window, bucketed by first byte.
  std::vector<Phrase> openers_;
  std::array<std::vector<Phrase>, 256> anywhereByFirstByte_;
  HeuristicPhrases phrases_;
  SplitOptions split_;

  void scanWindow(std::string_view lower, std::vector<Match>& matches) const;
};

}  // namespace astro::analysis
