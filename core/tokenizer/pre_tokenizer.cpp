// Split behaviours follow Hugging Face tokenizers' SplitDelimiterBehavior; ByteLevel with
// use_regex splits with GPT-2's pattern, with add_prefix_space it prepends " " to each piece.
#include "core/tokenizer/detail/pre_tokenizer.h"

#include <utility>

namespace astro::tokenizer::detail {

namespace {

// GPT-2's pre-tokenization pattern, used by ByteLevel when use_regex is true.
constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

struct Span {
  std::size_t begin;
  std::size_t end;
  bool isMatch;
};

}  // namespace

PreTokenizer::PreTokenizer(const std::vector<PreTokenizerStep>& steps, const std::string& source) {
  for (const auto& spec : steps) {
    Step step{spec, nullptr};
    std::string where = source + ": " + spec.jsonPath;
    if (spec.kind == PreTokenizerStep::Kind::Split) {
      step.regex = std::make_unique<Regex>(spec.pattern, !spec.patternIsRegex, where + ".pattern");
    } else if (spec.useRegex) {
      step.regex = std::make_unique<Regex>(kGpt2Pattern, false, where);
    }
    steps_.push_back(std::move(step));
  }
}

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& words,
                         std::deque<std::string>& storage) const {
  words.clear();
  if (text.empty()) return;
  words.push_back(text);
  std::vector<std::string_view> next;
  for (const auto& step : steps_) {
    next.clear();
    for (std::string_view piece : words) {
      if (step.spec.kind == PreTokenizerStep::Kind::ByteLevel && step.spec.addPrefixSpace &&
          piece.front() != ' ') {
        storage.push_back(" " + std::string(piece));
        piece = storage.back();
      }
      if (step.regex) {
        applySplit(step, piece, next);
      } else {
        next.push_back(piece);
      }
    }
    words.swap(next);
  }
}

void PreTokenizer::applySplit(const Step& step, std::string_view piece,
                              std::vector<std::string_view>& out) const {
  thread_local std::vector<std::pair<std::size_t, std::size_t>> matches;
  step.regex->findAll(piece, matches);
  // Matches and the gaps between them, in order; invert swaps which is which.
  thread_local std::vector<Span> spans;
  spans.clear();
  std::size_t position = 0;
  for (auto [begin, end] : matches) {
    if (begin > position) spans.push_back({position, begin, step.spec.invert});
    spans.push_back({begin, end, !step.spec.invert});
    position = end;
  }
  if (position < piece.size()) spans.push_back({position, piece.size(), step.spec.invert});

  auto emit = [&](std::size_t begin, std::size_t end) {
    if (end > begin) out.push_back(piece.substr(begin, end - begin));
  };
  switch (step.spec.behavior) {
    case SplitBehavior::Isolated:
      for (const auto& span : spans) emit(span.begin, span.end);
      break;
    case SplitBehavior::Removed:
      for (const auto& span : spans) {
        if (!span.isMatch) emit(span.begin, span.end);
      }
      break;
    case SplitBehavior::MergedWithPrevious: {
      // A delimiter joins the piece before it.
      std::size_t begin = 0;
      for (const auto& span : spans) {
        if (span.isMatch) {
          emit(begin, span.end);
          begin = span.end;
        }
      }
      emit(begin, piece.size());
      break;
    }
    case SplitBehavior::MergedWithNext: {
      // A delimiter starts the piece after it.
      std::size_t begin = 0;
      for (const auto& span : spans) {
        if (span.isMatch && span.begin > begin) {
          emit(begin, span.begin);
          begin = span.begin;
        }
      }
      emit(begin, piece.size());
      break;
    }
    case SplitBehavior::Contiguous: {
      // Runs of adjacent delimiters become one piece.
      std::size_t index = 0;
      while (index < spans.size()) {
        std::size_t last = index;
        while (spans[index].isMatch && last + 1 < spans.size() && spans[last + 1].isMatch) ++last;
        emit(spans[index].begin, spans[last].end);
        index = last + 1;
      }
      break;
    }
  }
}

}  // namespace astro::tokenizer::detail
