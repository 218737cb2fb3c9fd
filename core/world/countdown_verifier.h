// The countdown world's judge behind the shared astro::math::Verifier interface: takes the last
// \boxed{...} of an output (or a bare expression), and checks it exactly against the puzzle in
// the Problem's `extra` (numbers, target, rules).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/math/verifier.h"

namespace astro::world {

// Verdict.rule is one of: "correct", "no boxed answer", "malformed", "uses 9 which is not given",
// "reuses 5", "division by zero", "non-integer intermediate 7/2", "negative intermediate -2",
// "overflow", "wrong value 23 != 24".
class CountdownVerifier : public math::Verifier {
 public:
  std::string name() const override { return "countdown"; }
  // Throws astro::ParseError when the problem carries no countdown numbers/target in `extra`.
  math::Verdict grade(const math::Problem& problem, std::string_view output) const override;
};

// The content of the last \boxed{...} (braces balanced) and where it starts, or nullopt.
struct BoxedAnswer {
  std::string_view content;
  std::size_t offset = 0;
};
std::optional<BoxedAnswer> lastBoxed(std::string_view output);

}  // namespace astro::world
