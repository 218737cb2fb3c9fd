// A reference parser for rendered traces, written from the grammar in docs/linearization.md and
// blind to the renderer's spans: given the tree and the phrase set it walks the text and recovers
// the node sequence and every span, so tests can demand that rendering parses back exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/search/render_trace.h"

namespace astro::search::test {

struct ParsedTrace {
  NodeSequence sequence;
  std::vector<StepSpan> steps;
  std::vector<MarkerSpan> markers;
};

namespace detail {

inline bool startsAt(std::string_view text, std::size_t at, std::string_view piece) {
  return text.substr(at, piece.size()) == piece;
}

// Index of the longest phrase of `list` found at `at` and ending where `endsOk` allows, or -1.
template <typename EndCheck>
int phraseAt(std::string_view text, std::size_t at, const std::vector<std::string>& list,
             EndCheck endsOk) {
  int best = -1;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (startsAt(text, at, list[i]) && endsOk(at + list[i].size()) &&
        (best < 0 || list[i].size() > list[best].size())) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

}  // namespace detail

// With `groundedCheck`, a reflection after the step of node n must be followed by n's check
// (when it has one) and a joiner before its verdict.
inline std::optional<ParsedTrace> parseTrace(const SearchTree& tree, const PhraseSet& phrases,
                                             std::string_view text,
                                             const GroundedCheck& groundedCheck = {}) {
  using detail::phraseAt;
  using detail::startsAt;
  ParsedTrace parsed;
  parsed.sequence.steps.push_back({0, Move::kStart});
  int current = 0;
  std::size_t at = 0;
  auto boundaryAt = [&](std::size_t end) {
    return end == text.size() || startsAt(text, end, domain::kDefaultStepDelimiter);
  };
  while (at < text.size()) {
    if (at > 0) {
      if (!startsAt(text, at, domain::kDefaultStepDelimiter)) return std::nullopt;
      at += domain::kDefaultStepDelimiter.size();
    }
    // A reflection opens a return (backtrack, restart) or an answer check.
    const int reflection = phraseAt(text, at, phrases.reflections, [&](std::size_t end) {
      return startsAt(text, end, kPhraseJoiner);
    });
    if (reflection >= 0) {
      const std::size_t reflectionEnd = at + phrases.reflections[reflection].size();
      std::size_t next = reflectionEnd + kPhraseJoiner.size();
      std::optional<MarkerSpan> checked;
      if (std::optional<std::string> check =
              groundedCheck ? groundedCheck(tree, current) : std::nullopt) {
        if (!startsAt(text, next, *check) || !startsAt(text, next + check->size(), kPhraseJoiner)) {
          return std::nullopt;
        }
        checked = MarkerSpan{MarkerKind::kCheck, next, next + check->size(), 0, current, {}};
        next = checked->end + kPhraseJoiner.size();
      }
      std::optional<MarkerSpan> follow;
      if (int restart = phraseAt(text, next, phrases.restarts, boundaryAt); restart >= 0) {
        follow = MarkerSpan{
            MarkerKind::kRestart, next, next + phrases.restarts[restart].size(), restart, 0, {}};
        parsed.sequence.steps.push_back({0, Move::kRestart});
        current = 0;
      } else if (int check = phraseAt(text, next, phrases.answerChecks, boundaryAt); check >= 0) {
        follow = MarkerSpan{MarkerKind::kAnswerCheck,
                            next,
                            next + phrases.answerChecks[check].size(),
                            check,
                            current,
                            {}};
      } else {
        for (std::size_t t = 0; t < phrases.backtracks.size() && !follow; ++t) {
          for (int ancestor : tree.ancestors(current)) {
            if (ancestor == 0) continue;
            const std::string quote = quoteStep(tree.node(ancestor).text);
            const std::string phrase = fillTemplate(phrases.backtracks[t], kStepPlaceholder, quote);
            if (startsAt(text, next, phrase) && boundaryAt(next + phrase.size())) {
              follow = MarkerSpan{MarkerKind::kBacktrack, next,     next + phrase.size(),
                                  static_cast<int>(t),    ancestor, quote};
              parsed.sequence.steps.push_back({ancestor, Move::kBacktrack});
              current = ancestor;
              break;
            }
          }
        }
      }
      if (!follow) return std::nullopt;
      parsed.markers.push_back(
          {MarkerKind::kReflection, at, reflectionEnd, reflection, std::nullopt, {}});
      if (checked) parsed.markers.push_back(*checked);
      parsed.markers.push_back(*follow);
      at = follow->end;
      continue;
    }
    // A step: the text of a child of the current node, ending at a boundary.
    int matched = -1;
    for (int child : tree.node(current).children) {
      const std::string& stepText = tree.node(child).text;
      if (startsAt(text, at, stepText) && boundaryAt(at + stepText.size()) &&
          (matched < 0 || stepText.size() > tree.node(matched).text.size())) {
        matched = child;
      }
    }
    if (matched >= 0) {
      const std::size_t end = at + tree.node(matched).text.size();
      parsed.steps.push_back({matched, at, end});
      parsed.sequence.steps.push_back({matched, Move::kForward});
      current = matched;
      at = end;
      continue;
    }
    // The closing final-answer phrase, which must end the text.
    bool closed = false;
    for (std::size_t t = 0; t < phrases.finalAnswers.size() && !closed; ++t) {
      const std::string& pattern = phrases.finalAnswers[t];
      const std::size_t hole = pattern.find(kAnswerPlaceholder);
      const std::string_view prefix = std::string_view(pattern).substr(0, hole);
      const std::string_view suffix =
          std::string_view(pattern).substr(hole + kAnswerPlaceholder.size());
      if (!startsAt(text, at, prefix) || !text.ends_with(suffix)) continue;
      const std::size_t answerBegin = at + prefix.size();
      const std::size_t answerEnd = text.size() - suffix.size();
      if (answerEnd < answerBegin) continue;
      parsed.markers.push_back({MarkerKind::kFinalAnswer, at, text.size(), static_cast<int>(t),
                                std::nullopt,
                                std::string(text.substr(answerBegin, answerEnd - answerBegin))});
      at = text.size();
      closed = true;
    }
    if (!closed) return std::nullopt;
  }
  return parsed;
}

}  // namespace astro::search::test
