// Splitting a chain of thought into steps. By default a step is a paragraph: steps are separated
// by one or more blank lines (lines holding only spaces/tabs/CR count as blank), as in the MCTS
// step format and render_trace.h. A custom separator string or one step per line can be chosen.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace astro::analysis {

enum class SplitMode { kBlankLines, kSeparator, kLines };

struct SplitOptions {
  SplitMode mode = SplitMode::kBlankLines;
  std::string separator = "\n\n";  // used by kSeparator
};

struct TextSpan {
  std::size_t begin = 0;  // bytes, end exclusive; leading/trailing whitespace trimmed
  std::size_t end = 0;
  bool operator==(const TextSpan&) const = default;
};

// Non-empty steps in text order. Whitespace-only pieces are dropped.
std::vector<TextSpan> splitSteps(std::string_view text, const SplitOptions& options = {});

}  // namespace astro::analysis
