#include "core/analysis/exact_detector.h"

#include <algorithm>

#include "core/search/render_trace.h"

namespace astro::analysis {

namespace {

bool matchesTemplate(std::string_view text, const std::string& prefix, const std::string& suffix,
                     std::string_view* filled) {
  if (text.size() < prefix.size() + suffix.size()) return false;
  if (!text.starts_with(prefix) || !text.ends_with(suffix)) return false;
  *filled = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
  return true;
}

}  // namespace

std::optional<ExactDetector::Verdict> ExactDetector::matchVerdict(std::string_view text) const {
  if (std::find(phrases_.restarts.begin(), phrases_.restarts.end(), text) !=
      phrases_.restarts.end()) {
    return Verdict{CueKind::kRestart, {}};
  }
  if (std::find(phrases_.answerChecks.begin(), phrases_.answerChecks.end(), text) !=
      phrases_.answerChecks.end()) {
    return Verdict{CueKind::kAnswerCheck, {}};
  }
  for (const Template& backtrack : backtracks_) {
    std::string_view quote;
    if (matchesTemplate(text, backtrack.prefix, backtrack.suffix, &quote)) {
      return Verdict{CueKind::kBacktrack, quote};
    }
  }
  return std::nullopt;
}

ExactDetector::ExactDetector(search::PhraseSet phrases, std::string stepDelimiter)
    : phrases_(std::move(phrases)), stepDelimiter_(std::move(stepDelimiter)) {
  search::validatePhraseSet(phrases_, "phrase set '" + phrases_.id + "'");
  search::validatePhrasesForDelimiter(phrases_, stepDelimiter_, "phrase set '" + phrases_.id + "'");
  reflectionsLongestFirst_ = phrases_.reflections;
  std::stable_sort(reflectionsLongestFirst_.begin(), reflectionsLongestFirst_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  auto split = [](const std::string& pattern, std::string_view placeholder) {
    std::size_t at = pattern.find(placeholder);
    return Template{pattern.substr(0, at), pattern.substr(at + placeholder.size())};
  };
  for (const auto& pattern : phrases_.backtracks) {
    backtracks_.push_back(split(pattern, search::kStepPlaceholder));
  }
  for (const auto& pattern : phrases_.finalAnswers) {
    finalAnswers_.push_back(split(pattern, search::kAnswerPlaceholder));
  }
}

std::shared_ptr<const ExactDetector> ExactDetector::forDomain(
    const domain::Domain& domain, const std::optional<search::PhraseSet>& phrases) {
  return std::make_shared<const ExactDetector>(phrases ? *phrases : domain.phraseSet(),
                                               std::string(domain.stepDelimiter()));
}

StepGraph ExactDetector::detect(std::string_view trace) const {
  StepGraph graph;
  const std::string_view separator = stepDelimiter_;
  std::vector<int> parentOf;  // the step each step continues from (-1: the problem)
  int resumeFrom = -1;
  std::size_t start = 0;
  while (start <= trace.size()) {
    std::size_t found = trace.find(separator, start);
    std::size_t end = found == std::string_view::npos ? trace.size() : found;
    if (end > start) {
      std::string_view paragraph = trace.substr(start, end - start);
      TraceStep step{start, end, StepRole::kStep, false, -1};
      int index = static_cast<int>(graph.steps.size());
      for (const std::string& reflection : reflectionsLongestFirst_) {
        if (!paragraph.starts_with(reflection)) continue;
        std::string_view rest = paragraph.substr(reflection.size());
        if (!rest.empty() && !rest.starts_with(search::kPhraseJoiner)) continue;
        step.reflects = true;
        step.role = StepRole::kReflection;
        graph.cues.push_back({CueKind::kReflection, start, start + reflection.size(), index});
        if (rest.empty()) break;
        std::size_t restBegin = start + reflection.size() + search::kPhraseJoiner.size();
        rest.remove_prefix(search::kPhraseJoiner.size());
        std::optional<Verdict> verdict = matchVerdict(rest);
        // A grounded reflection states its check before the verdict: the verdict starts after the
        // first joiner from which the rest of the paragraph is a whole verdict phrase (the
        // renderer keeps verdict openings out of checks, validateGroundedCheck).
        for (std::size_t joiner = rest.find(search::kPhraseJoiner);
             !verdict && joiner != std::string_view::npos;
             joiner = rest.find(search::kPhraseJoiner, joiner + 1)) {
          verdict = matchVerdict(rest.substr(joiner + search::kPhraseJoiner.size()));
          if (!verdict) continue;
          graph.cues.push_back({CueKind::kCheck, restBegin, restBegin + joiner, index});
          restBegin += joiner + search::kPhraseJoiner.size();
        }
        if (!verdict) break;
        graph.cues.push_back({verdict->kind, restBegin, end, index});
        if (verdict->kind == CueKind::kRestart) step.role = StepRole::kRestart;
        if (verdict->kind == CueKind::kBacktrack) {
          step.role = StepRole::kBacktrack;
          // The current path first (the renderer returns to an ancestor), then any step.
          for (int at = resumeFrom; at >= 0 && step.returnsTo < 0; at = parentOf[at]) {
            const TraceStep& earlier = graph.steps[static_cast<std::size_t>(at)];
            if (earlier.role == StepRole::kStep &&
                search::quoteStep(trace.substr(earlier.begin, earlier.end - earlier.begin)) ==
                    verdict->quote) {
              step.returnsTo = at;
            }
          }
        }
        break;
      }
      if (!step.reflects) {
        for (const Template& finalAnswer : finalAnswers_) {
          std::string_view answer;
          if (matchesTemplate(paragraph, finalAnswer.prefix, finalAnswer.suffix, &answer)) {
            graph.cues.push_back({CueKind::kFinalAnswer, start, end, index});
            break;
          }
        }
      }
      // The same parent rules as buildEdges, kept here to walk the current path.
      parentOf.push_back(step.role == StepRole::kStep ? resumeFrom : index - 1);
      resumeFrom = resumePointAfter(step, index, resumeFrom);
      graph.steps.push_back(step);
    }
    if (found == std::string_view::npos) break;
    start = found + separator.size();
  }
  graph.edges = buildEdges(graph.steps);
  return graph;
}

}  // namespace astro::analysis
