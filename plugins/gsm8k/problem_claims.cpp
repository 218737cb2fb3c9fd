// GSM8K's claim on a problem (problem_claims.h).
#include "problem_claims.h"

#include <string_view>

namespace gsm8k {

namespace {

bool startsWithGsm8k(const char* text) {
  if (text == nullptr) return false;
  constexpr std::string_view kName = "gsm8k";
  for (std::size_t i = 0; i < kName.size(); ++i) {
    char c = text[i];  // stops at the NUL: it matches no letter of kName
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != kName[i]) return false;
  }
  return true;
}

std::string_view trimmedView(const char* text) {
  std::string_view view = text == nullptr ? std::string_view() : std::string_view(text);
  while (!view.empty() && (view.front() == ' ' || view.front() == '\t')) view.remove_prefix(1);
  while (!view.empty() && (view.back() == ' ' || view.back() == '\t' || view.back() == '\n' ||
                           view.back() == '\r')) {
    view.remove_suffix(1);
  }
  return view;
}

}  // namespace

std::optional<ExactNumber> goldNumber(const AstroProblem& problem) {
  return parseExactNumber(trimmedView(problem.answer));
}

bool claimsProblem(const AstroProblem& problem) {
  if (!startsWithGsm8k(problem.source) && !startsWithGsm8k(problem.id)) return false;
  return goldNumber(problem).has_value();
}

}  // namespace gsm8k
