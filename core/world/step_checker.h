// Checks one step a policy wrote against the state it was written in. Search uses it to mark a
// step invalid (wrong arithmetic, a number that is gone, a broken rule) before spending visits on
// it, and to carry the state forward along a trace.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_step.h"
#include "core/world/countdown_verifier.h"

namespace astro::world {

enum class StepKind {
  kOperation,  // "Step k: a op b = c. Remaining: ..."
  kAnswer,     // a block holding \boxed{...}
  kMalformed,  // neither
};

// `rule` for operations: "valid", "malformed step", "uses 9 which is not remaining",
// "reuses 5", "wrong result 8 - 3 = 4 (is 5)", "wrong remaining 5, 7 (is 5, 5, 7)", or a rule of
// applyOperator. For answers: the CountdownVerifier's rule ("correct", "wrong value ...", ...).
struct StepCheck {
  StepKind kind = StepKind::kMalformed;
  bool valid = false;
  std::string rule;
  std::optional<CountdownStep> step;  // the checked operation, when valid
  CountdownState next;                // the state after a valid operation; unchanged otherwise
  bool reachesTarget = false;         // a valid operation whose result is the target
};

class StepChecker {
 public:
  explicit StepChecker(CountdownPuzzle puzzle);

  const CountdownPuzzle& puzzle() const { return puzzle_; }

  // `stepText` is one block of a solution (the text between blank lines).
  StepCheck check(const CountdownState& state, std::string_view stepText) const;

 private:
  CountdownPuzzle puzzle_;
  math::Problem problem_;  // the puzzle in the form the verifier reads, for answer blocks
  CountdownVerifier verifier_;
};

}  // namespace astro::world
