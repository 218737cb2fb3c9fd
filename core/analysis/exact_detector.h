// The exact detector: parses traces rendered by core/search/render_trace.h with a known phrase
// set (recorded with the run). Steps are the pieces between step delimiters (the domain's,
// Domain::stepDelimiter, which rendered the trace or which the policy learned); a piece that is a
// reflection phrase, optionally joined to a backtrack, restart or answer-check phrase, is a
// marker paragraph (a grounded reflection holds its check between the reflection and the
// phrase that follows); a backtrack returns to the most recent step on the current path whose
// quoted text (search::quoteStep) equals the {step} text in the phrase.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/trace_detector.h"
#include "core/domain/domain.h"
#include "core/search/phrase_set.h"

namespace astro::analysis {

class ExactDetector : public TraceDetector {
 public:
  // Throws astro::Error when the set is invalid or one of its phrases contains the delimiter.
  explicit ExactDetector(search::PhraseSet phrases,
                         std::string stepDelimiter = std::string(domain::kDefaultStepDelimiter));
  // The domain's phrase set (unless `phrases` names another) and its step delimiter: what a stage
  // that resolved `domain` for its problems reads that domain's traces with.
  static std::shared_ptr<const ExactDetector> forDomain(
      const domain::Domain& domain, const std::optional<search::PhraseSet>& phrases = {});
  std::string name() const override { return "exact:" + phrases_.id; }
  StepGraph detect(std::string_view trace) const override;

 private:
  // What ends a reflection paragraph: a restart, an answer check or a backtrack (with its quote).
  struct Verdict {
    CueKind kind = CueKind::kRestart;
    std::string_view quote;
  };
  std::optional<Verdict> matchVerdict(std::string_view text) const;
  struct Template {
    std::string prefix;  // text before the placeholder
    std::string suffix;  // text after it
  };
  search::PhraseSet phrases_;
  std::string stepDelimiter_;
  std::vector<std::string> reflectionsLongestFirst_;
  std::vector<Template> backtracks_;
  std::vector<Template> finalAnswers_;
};

}  // namespace astro::analysis
