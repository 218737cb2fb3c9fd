// Rendering a node sequence as chain-of-thought text (docs/linearization.md has the grammar):
// forward steps joined by the domain's step delimiter (a blank line by default); each return
// after an incorrect terminal is a reflection plus a backtrack phrase naming the step returned to
// (or a restart phrase); the final answer
// stays in \boxed{}. With a grounded check, each reflection states the check it makes before its
// verdict (issue #21). Returns the byte spans of every step and inserted marker, the contract the
// analysis detector parses against.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/domain.h"
#include "core/search/linearize.h"
#include "core/search/phrase_set.h"
#include "core/search/tree.h"

namespace astro::search {

// Between a reflection and the return or check phrase that follows it in the same paragraph.
inline constexpr std::string_view kPhraseJoiner = " ";

enum class MarkerKind {
  kReflection,
  kBacktrack,
  kRestart,
  kAnswerCheck,
  kFinalAnswer,
  kCheck,  // a grounded reflection's check, between the reflection and its verdict
};
// "reflection", "backtrack", "restart", "answer_check", "final_answer", "check".
std::string_view markerKindName(MarkerKind kind);

struct MarkerSpan {
  MarkerKind kind = MarkerKind::kReflection;
  std::size_t begin = 0;  // byte offsets into RenderedTrace::text, end exclusive
  std::size_t end = 0;
  int phraseIndex = 0;  // entry of the phrase-set list it was drawn from
  // backtrack: the node returned to; restart: 0; answer_check: the node whose step it confirms;
  // check: the node whose step it checks (phraseIndex 0: it comes from no list).
  std::optional<int> targetNode;
  std::string targetQuote;  // backtrack: what replaced {step}; final_answer: the answer
  bool operator==(const MarkerSpan&) const = default;
};

struct StepSpan {
  int node = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const StepSpan&) const = default;
};

struct RenderedTrace {
  std::string text;
  std::vector<StepSpan> steps;      // in text order
  std::vector<MarkerSpan> markers;  // in text order
};

// What a grounded reflection states it checked about the step of `node` ("10+10-2 = 18."), or
// nullopt for the paper's reflection without a check. groundedCheckFor (grounded_check.h) makes
// one from a domain.
using GroundedCheck = std::function<std::optional<std::string>(const SearchTree&, int node)>;

struct RenderOptions {
  std::uint64_t seed = 0;  // which phrase of each list is drawn (uniformly)
  // Between rendered pieces, as the search that grew the tree cut its steps: the domain's
  // (Domain::stepDelimiter). No phrase may contain it.
  std::string stepDelimiter{domain::kDefaultStepDelimiter};
  // After the final step, a reflection answered by an answer-check phrase: ASTRO Sec. 2.4 places
  // the reflection "immediately after the final node" too, so the model judges correctness after
  // reflecting rather than before.
  bool answerCheck = true;
  // ASTRO Sec. 2.4 also reflects (affirmatively) between intermediate nodes with high Q values.
  // The paper gives no threshold, so this is off unless set: after a forward step to a
  // non-terminal node with q() >= this value, insert a reflection and an answer-check phrase.
  std::optional<double> affirmStepsWithQAtLeast;
  // Grounded reflections (issue #21, off by default: the paper's reflections state no check).
  // Called for the node each reflection follows: the incorrect terminal before a return, the
  // final node before the answer check, an affirmed step. Its text goes between the reflection
  // and the verdict: REFLECTION SP CHECK SP VERDICT. The text must not be empty nor contain the
  // step delimiter, a reflection, restart or answer-check phrase, or a backtrack phrase's text
  // before {step}, so the detector finds the verdict; renderTrace throws naming the node if so.
  GroundedCheck groundedCheck;
};

// How a step is named inside a backtrack phrase: its text with every whitespace run turned into
// one space and the ends trimmed, so the phrase stays one paragraph.
std::string quoteStep(std::string_view stepText);

// Renders `sequence` (which must pass findSequenceViolation) over `tree`. The final answer is
// the last step's own \boxed{} when it has one; otherwise a final-answer phrase with the node's
// answer (the gold answer when the node has none) is appended.
RenderedTrace renderTrace(const SearchTree& tree, const NodeSequence& sequence,
                          const PhraseSet& phrases, const RenderOptions& options = {});

// Throws astro::Error naming `node` when `check` is unfit to stand between a reflection and its
// verdict (see RenderOptions::groundedCheck).
void validateGroundedCheck(std::string_view check, int node, const PhraseSet& phrases,
                           std::string_view stepDelimiter);

// {"text", "steps": [{"node", "begin", "end"}], "markers": [{"kind", "begin", "end",
// "phrase_index", "target_node"?, "target_quote"?}]}.
nlohmann::ordered_json renderedTraceToJson(const RenderedTrace& trace);

}  // namespace astro::search
