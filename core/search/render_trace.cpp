// Rendering node sequences as chain-of-thought text with exact spans for steps and markers.
#include "core/search/render_trace.h"

#include "core/base/error.h"

namespace astro::search {

namespace {

// Appends pieces to the trace and records where each one lies.
class TraceWriter {
 public:
  TraceWriter(RenderedTrace& trace, std::string_view delimiter)
      : trace_(trace), delimiter_(delimiter) {}

  void separate() {
    if (!trace_.text.empty()) trace_.text += delimiter_;
  }
  void joinPhrase() { trace_.text += kPhraseJoiner; }
  void step(int node, std::string_view text) {
    const std::size_t begin = trace_.text.size();
    trace_.text += text;
    trace_.steps.push_back({node, begin, trace_.text.size()});
  }
  void marker(MarkerKind kind, int phraseIndex, std::string_view text,
              std::optional<int> target = std::nullopt, std::string quote = {}) {
    const std::size_t begin = trace_.text.size();
    trace_.text += text;
    trace_.markers.push_back(
        {kind, begin, trace_.text.size(), phraseIndex, target, std::move(quote)});
  }

 private:
  RenderedTrace& trace_;
  std::string_view delimiter_;
};

int draw(SeededRandom& random, const std::vector<std::string>& phrases) {
  return static_cast<int>(random.below(phrases.size()));
}

// Opens a reflection paragraph after the step of `node`: the reflection, then, with a grounded
// check, what it checked; the verdict phrase follows.
void writeReflection(TraceWriter& writer, SeededRandom& random, const PhraseSet& phrases,
                     const RenderOptions& options, const SearchTree& tree, int node) {
  writer.separate();
  const int reflection = draw(random, phrases.reflections);
  writer.marker(MarkerKind::kReflection, reflection, phrases.reflections[reflection]);
  writer.joinPhrase();
  if (!options.groundedCheck) return;
  const std::optional<std::string> check = options.groundedCheck(tree, node);
  if (!check) return;
  validateGroundedCheck(*check, node, phrases, options.stepDelimiter);
  writer.marker(MarkerKind::kCheck, 0, *check, node);
  writer.joinPhrase();
}

// A reflection answered affirmatively, confirming the step of `node`.
void writeAnswerCheck(TraceWriter& writer, SeededRandom& random, const PhraseSet& phrases,
                      const RenderOptions& options, const SearchTree& tree, int node) {
  writeReflection(writer, random, phrases, options, tree, node);
  const int check = draw(random, phrases.answerChecks);
  writer.marker(MarkerKind::kAnswerCheck, check, phrases.answerChecks[check], node);
}

}  // namespace

std::string_view markerKindName(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::kReflection:
      return "reflection";
    case MarkerKind::kBacktrack:
      return "backtrack";
    case MarkerKind::kRestart:
      return "restart";
    case MarkerKind::kAnswerCheck:
      return "answer_check";
    case MarkerKind::kFinalAnswer:
      return "final_answer";
    case MarkerKind::kCheck:
      return "check";
  }
  return "unknown";
}

void validateGroundedCheck(std::string_view check, int node, const PhraseSet& phrases,
                           std::string_view stepDelimiter) {
  auto refuse = [&](const std::string& why) {
    throw Error("render trace: the grounded check of node " + std::to_string(node) + " (\"" +
                std::string(check) + "\") " + why);
  };
  if (check.empty()) refuse("is empty");
  if (check.find(stepDelimiter) != std::string_view::npos) refuse("contains the step delimiter");
  auto refuseAny = [&](const std::vector<std::string>& list, const char* what) {
    for (const std::string& phrase : list) {
      if (check.find(phrase) != std::string_view::npos) {
        refuse(std::string("contains the ") + what + " phrase \"" + phrase + "\"");
      }
    }
  };
  refuseAny(phrases.reflections, "reflection");
  refuseAny(phrases.restarts, "restart");
  refuseAny(phrases.answerChecks, "answer-check");
  for (const std::string& backtrack : phrases.backtracks) {
    const std::string prefix = backtrack.substr(0, backtrack.find(kStepPlaceholder));
    if (!prefix.empty() && check.find(prefix) != std::string_view::npos) {
      refuse("contains the backtrack phrase's opening \"" + prefix + "\"");
    }
  }
}

std::string quoteStep(std::string_view stepText) {
  std::string quote;
  bool pendingSpace = false;
  for (char c : stepText) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (space) {
      pendingSpace = !quote.empty();
      continue;
    }
    if (pendingSpace) quote += ' ';
    pendingSpace = false;
    quote += c;
  }
  return quote;
}

RenderedTrace renderTrace(const SearchTree& tree, const NodeSequence& sequence,
                          const PhraseSet& phrases, const RenderOptions& options) {
  if (auto violation = findSequenceViolation(tree, sequence)) {
    throw Error("render trace: invalid node sequence: " + *violation);
  }
  validatePhraseSet(phrases, "phrase set '" + phrases.id + "'");
  validatePhrasesForDelimiter(phrases, options.stepDelimiter, "phrase set '" + phrases.id + "'");
  SeededRandom random(options.seed);
  RenderedTrace trace;
  TraceWriter writer(trace, options.stepDelimiter);
  for (std::size_t i = 0; i < sequence.steps.size(); ++i) {
    const SequenceStep& step = sequence.steps[i];
    const TreeNode& node = tree.node(step.node);
    switch (step.move) {
      case Move::kStart:
        break;
      case Move::kForward: {
        writer.separate();
        writer.step(node.id, node.text);
        const bool continues =
            i + 1 < sequence.steps.size() && sequence.steps[i + 1].move == Move::kForward;
        if (continues && options.affirmStepsWithQAtLeast &&
            node.q() >= *options.affirmStepsWithQAtLeast) {
          writeAnswerCheck(writer, random, phrases, options, tree, node.id);
        }
        break;
      }
      case Move::kBacktrack:
      case Move::kRestart: {
        // The reflection follows the incorrect terminal the walk leaves.
        writeReflection(writer, random, phrases, options, tree, sequence.steps[i - 1].node);
        if (step.move == Move::kRestart) {
          const int restart = draw(random, phrases.restarts);
          writer.marker(MarkerKind::kRestart, restart, phrases.restarts[restart], 0);
        } else {
          const int backtrack = draw(random, phrases.backtracks);
          std::string quote = quoteStep(node.text);
          writer.marker(MarkerKind::kBacktrack, backtrack,
                        fillTemplate(phrases.backtracks[backtrack], kStepPlaceholder, quote),
                        node.id, quote);
        }
        break;
      }
    }
  }
  const TreeNode& last = tree.node(sequence.finalNode());
  if (options.answerCheck) writeAnswerCheck(writer, random, phrases, options, tree, last.id);
  if (last.text.find("\\boxed{") == std::string::npos) {
    writer.separate();
    const int final = draw(random, phrases.finalAnswers);
    const std::string answer = last.answer.value_or(tree.goldAnswer());
    writer.marker(MarkerKind::kFinalAnswer, final,
                  fillTemplate(phrases.finalAnswers[final], kAnswerPlaceholder, answer),
                  std::nullopt, answer);
  }
  return trace;
}

nlohmann::ordered_json renderedTraceToJson(const RenderedTrace& trace) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const StepSpan& step : trace.steps) {
    steps.push_back({{"node", step.node}, {"begin", step.begin}, {"end", step.end}});
  }
  nlohmann::ordered_json markers = nlohmann::ordered_json::array();
  for (const MarkerSpan& marker : trace.markers) {
    nlohmann::ordered_json item = {{"kind", markerKindName(marker.kind)},
                                   {"begin", marker.begin},
                                   {"end", marker.end},
                                   {"phrase_index", marker.phraseIndex}};
    if (marker.targetNode) item["target_node"] = *marker.targetNode;
    if (!marker.targetQuote.empty()) item["target_quote"] = marker.targetQuote;
    markers.push_back(std::move(item));
  }
  return {{"text", trace.text}, {"steps", std::move(steps)}, {"markers", std::move(markers)}};
}

}  // namespace astro::search
