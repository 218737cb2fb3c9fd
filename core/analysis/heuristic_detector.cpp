#include "core/analysis/heuristic_detector.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace astro::analysis {

namespace {

bool isWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Lowercase, whitespace runs collapsed to one space, ends trimmed, trailing "..." dropped: how
// quoted steps and step texts are compared.
std::string normalizeForMatch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pendingSpace = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += lowerAscii(c);
  }
  while (out.ends_with("...") || out.ends_with("\xE2\x80\xA6")) {
    out.resize(out.size() - (out.ends_with("...") ? 3 : 3));
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

// The text between the first pair of straight or curly double quotes after `from`, if any.
std::optional<std::string_view> quotedText(std::string_view paragraph, std::size_t from) {
  static constexpr std::string_view kOpenCurly = "\xE2\x80\x9C";
  static constexpr std::string_view kCloseCurly = "\xE2\x80\x9D";
  std::size_t straight = paragraph.find('"', from);
  std::size_t curly = paragraph.find(kOpenCurly, from);
  if (straight == std::string_view::npos && curly == std::string_view::npos) return std::nullopt;
  if (curly < straight) {
    std::size_t begin = curly + kOpenCurly.size();
    std::size_t end = paragraph.find(kCloseCurly, begin);
    if (end == std::string_view::npos) return std::nullopt;
    return paragraph.substr(begin, end - begin);
  }
  std::size_t end = paragraph.find('"', straight + 1);
  if (end == std::string_view::npos) return std::nullopt;
  return paragraph.substr(straight + 1, end - straight - 1);
}

// N from "step N" after `from` (case-insensitive), or -1.
int stepNumber(std::string_view lower, std::size_t from) {
  for (std::size_t at = lower.find("step ", from); at != std::string_view::npos;
       at = lower.find("step ", at + 1)) {
    std::size_t digits = at + 5;
    int number = 0;
    std::size_t k = digits;
    while (k < lower.size() && k < digits + 4 &&
           std::isdigit(static_cast<unsigned char>(lower[k]))) {
      number = number * 10 + (lower[k] - '0');
      ++k;
    }
    if (k > digits) return number;
  }
  return -1;
}

}  // namespace

HeuristicDetector::HeuristicDetector(HeuristicPhrases phrases, SplitOptions split)
    : phrases_(std::move(phrases)), split_(std::move(split)) {
  for (const auto& text : phrases_.reflectionOpeners)
    openers_.push_back({text, Group::kReflection});
  for (const auto& text : phrases_.alternativeOpeners) {
    openers_.push_back({text, Group::kAlternative});
  }
  // Longest first, so "but wait" wins over "wait" where both could open a step.
  std::stable_sort(openers_.begin(), openers_.end(),
                   [](const Phrase& a, const Phrase& b) { return a.text.size() > b.text.size(); });
  for (const auto& text : phrases_.backtrackCues) {
    anywhereByFirstByte_[static_cast<unsigned char>(text[0])].push_back({text, Group::kBacktrack});
  }
  for (const auto& text : phrases_.restartCues) {
    anywhereByFirstByte_[static_cast<unsigned char>(text[0])].push_back({text, Group::kRestart});
  }
}

void HeuristicDetector::scanWindow(std::string_view lower, std::vector<Match>& matches) const {
  auto endsAtBoundary = [&](std::size_t end) {
    return end >= lower.size() || !isWordByte(static_cast<unsigned char>(lower[end]));
  };
  // Openers: at the start, after leading markup such as "**" or "- ".
  std::size_t first = 0;
  while (first < lower.size() && !isWordByte(static_cast<unsigned char>(lower[first]))) ++first;
  for (const Phrase& opener : openers_) {
    if (lower.substr(first).starts_with(opener.text) &&
        endsAtBoundary(first + opener.text.size())) {
      matches.push_back({opener.group, first, opener.text.size()});
      break;
    }
  }
  // Cues anywhere: tried at each word start only.
  for (std::size_t at = 0; at < lower.size(); ++at) {
    auto byte = static_cast<unsigned char>(lower[at]);
    if (at > 0 && isWordByte(static_cast<unsigned char>(lower[at - 1]))) continue;
    for (const Phrase& cue : anywhereByFirstByte_[byte]) {
      if (lower.substr(at).starts_with(cue.text) && endsAtBoundary(at + cue.text.size())) {
        matches.push_back({cue.group, at, cue.text.size()});
        break;
      }
    }
  }
}

StepGraph HeuristicDetector::detect(std::string_view trace) const {
  StepGraph graph;
  std::vector<TextSpan> spans = splitSteps(trace, split_);
  graph.steps.reserve(spans.size());
  std::vector<int> parentOf;
  parentOf.reserve(spans.size());
  int resumeFrom = -1;
  std::string lower;
  std::vector<Match> matches;
  for (const TextSpan& span : spans) {
    const int index = static_cast<int>(graph.steps.size());
    std::string_view paragraph = trace.substr(span.begin, span.end - span.begin);
    std::size_t windowSize = std::min(paragraph.size(), phrases_.cueWindow);
    lower.resize(windowSize);
    for (std::size_t k = 0; k < windowSize; ++k) lower[k] = lowerAscii(paragraph[k]);
    matches.clear();
    scanWindow(lower, matches);

    TraceStep step{span.begin, span.end, StepRole::kStep, false, -1};
    const Match* backtrack = nullptr;
    const Match* restart = nullptr;
    const Match* alternative = nullptr;
    for (const Match& match : matches) {
      switch (match.group) {
        case Group::kReflection:
          step.reflects = true;
          graph.cues.push_back({CueKind::kReflection, span.begin + match.begin,
                                span.begin + match.begin + match.length, index});
          break;
        case Group::kAlternative:
          alternative = alternative ? alternative : &match;
          break;
        case Group::kBacktrack:
          backtrack = backtrack ? backtrack : &match;
          break;
        case Group::kRestart:
          restart = restart ? restart : &match;
          break;
      }
    }
    const Match* returning = restart ? restart : backtrack ? backtrack : alternative;
    if (returning) {
      step.role = restart ? StepRole::kRestart : StepRole::kBacktrack;
      graph.cues.push_back({restart ? CueKind::kRestart : CueKind::kBacktrack,
                            span.begin + returning->begin,
                            span.begin + returning->begin + returning->length, index});
    } else if (step.reflects) {
      step.role = StepRole::kReflection;
    }

    if (step.role == StepRole::kBacktrack) {
      std::size_t after = returning->begin + returning->length;
      std::vector<int> path;  // the current path, most recent first
      for (int at = resumeFrom; at >= 0; at = parentOf[static_cast<std::size_t>(at)]) {
        if (graph.steps[static_cast<std::size_t>(at)].role == StepRole::kStep) path.push_back(at);
      }
      auto stepText = [&](int at) {
        const TraceStep& earlier = graph.steps[static_cast<std::size_t>(at)];
        return trace.substr(earlier.begin, earlier.end - earlier.begin);
      };
      if (auto quote = quotedText(paragraph, after)) {
        std::string wanted = normalizeForMatch(*quote);
        if (wanted.size() >= 4) {
          for (int at = index - 1; at >= 0 && step.returnsTo < 0; --at) {
            if (graph.steps[static_cast<std::size_t>(at)].role != StepRole::kStep) continue;
            std::string text = normalizeForMatch(stepText(at).substr(0, wanted.size() + 64));
            if (text == wanted || (wanted.size() >= 12 && text.starts_with(wanted))) {
              step.returnsTo = at;
            }
          }
          // Prefer the occurrence on the current path when the same text appears twice.
          for (int at : path) {
            std::string text = normalizeForMatch(stepText(at).substr(0, wanted.size() + 64));
            if (text == wanted || (wanted.size() >= 12 && text.starts_with(wanted))) {
              step.returnsTo = at;
              break;
            }
          }
        }
      }
      if (step.returnsTo < 0) {
        if (int number = stepNumber(lower, after); number > 0) {
          std::string label = "step " + std::to_string(number);
          int ordinal = 0;
          for (int at = 0; at < index; ++at) {
            if (graph.steps[static_cast<std::size_t>(at)].role != StepRole::kStep) continue;
            if (++ordinal == number && step.returnsTo < 0) step.returnsTo = at;
            std::string head = normalizeForMatch(stepText(at).substr(0, label.size() + 1));
            if (head.starts_with(label) &&
                (head.size() == label.size() ||
                 !std::isdigit(static_cast<unsigned char>(head[label.size()])))) {
              step.returnsTo = at;  // a step labelled "Step N" beats the N-th paragraph
            }
          }
        }
      }
      // Default: the branch point, i.e. the step before the most recent step on the path.
      if (step.returnsTo < 0 && path.size() >= 2) step.returnsTo = path[1];
    }

    parentOf.push_back(step.role == StepRole::kStep ? resumeFrom : index - 1);
    resumeFrom = resumePointAfter(step, index, resumeFrom);
    graph.steps.push_back(step);
  }
  graph.edges = buildEdges(graph.steps);
  return graph;
}

}  // namespace astro::analysis
