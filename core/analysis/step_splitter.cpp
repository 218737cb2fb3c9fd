#include "core/analysis/step_splitter.h"

#include <cstring>

#include "core/base/error.h"

namespace astro::analysis {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

void pushTrimmed(std::string_view text, std::size_t begin, std::size_t end,
                 std::vector<TextSpan>& spans) {
  while (begin < end && isSpace(text[begin])) ++begin;
  while (end > begin && isSpace(text[end - 1])) --end;
  if (begin < end) spans.push_back({begin, end});
}

// The end of the blank-line run that starts at the newline `newline`, or npos when the next line
// is not blank. A blank run is "\n" + (spaces/tabs/CR)* + "\n" (+ more blank lines).
std::size_t blankRunEnd(std::string_view text, std::size_t newline) {
  std::size_t at = newline + 1;
  bool sawBlankLine = false;
  while (true) {
    std::size_t scan = at;
    while (scan < text.size() && (text[scan] == ' ' || text[scan] == '\t' || text[scan] == '\r')) {
      ++scan;
    }
    if (scan < text.size() && text[scan] == '\n') {
      sawBlankLine = true;
      at = scan + 1;
      continue;
    }
    return sawBlankLine ? at : std::string_view::npos;
  }
}

}  // namespace

std::vector<TextSpan> splitSteps(std::string_view text, const SplitOptions& options) {
  std::vector<TextSpan> spans;
  std::size_t start = 0;
  switch (options.mode) {
    case SplitMode::kBlankLines: {
      const char* data = text.data();
      std::size_t at = 0;
      while (at < text.size()) {
        const void* found = std::memchr(data + at, '\n', text.size() - at);
        if (!found) break;
        std::size_t newline = static_cast<std::size_t>(static_cast<const char*>(found) - data);
        std::size_t runEnd = blankRunEnd(text, newline);
        if (runEnd == std::string_view::npos) {
          at = newline + 1;
          continue;
        }
        pushTrimmed(text, start, newline, spans);
        start = at = runEnd;
      }
      break;
    }
    case SplitMode::kSeparator: {
      if (options.separator.empty()) throw Error("split steps: the separator must not be empty");
      for (std::size_t found; (found = text.find(options.separator, start)) != text.npos;) {
        pushTrimmed(text, start, found, spans);
        start = found + options.separator.size();
      }
      break;
    }
    case SplitMode::kLines: {
      for (std::size_t found; (found = text.find('\n', start)) != text.npos;) {
        pushTrimmed(text, start, found, spans);
        start = found + 1;
      }
      break;
    }
  }
  pushTrimmed(text, start, text.size(), spans);
  return spans;
}

}  // namespace astro::analysis
