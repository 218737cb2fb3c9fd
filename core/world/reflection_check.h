// What a grounded reflection states about one countdown step (issue #21): the check a reader
// could make, in the world's few words, so that a policy trained on such reflections can tell
// from the step itself whether to go on or go back. "(10-10)*2 = 0, not 18.", "10+10-2 = 18.",
// "9 - 7 = 2, not 5.", "7 is not left.". Plain ASCII: the world tokenizer spells every byte, and
// these words and digits are its common tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/world/countdown_puzzle.h"
#include "core/world/step_checker.h"

namespace astro::world {

// A block holding \boxed{expr}, graded as the verifier grades it (number use first, then the
// value under the rules): "expr = T." when right, "expr = V, not T.", "expr reuses 7.",
// "expr uses 9 which is not given." (the verifier's words), "expr: division by zero." (any rule
// of applyOperator), "That is not a valid expression." when the box holds no expression; nullopt
// without a box. `expr` is the box's content with every whitespace run turned into one space.
std::optional<std::string> describeAnswer(const CountdownPuzzle& puzzle, std::string_view block);

// An operation block "Step k: a op b = c. Remaining: ..." written in `state`: "a op b = c." when
// valid, "a op b = c', not c." when the arithmetic is wrong, "7 is not left." when an operand is
// gone or never was, "a op b: <rule>." when the operation breaks a rule, "Left: 5, 7, not 5, 5,
// 7." when only the remaining list is wrong. An answer block goes to describeAnswer; a malformed
// block gives nullopt.
std::optional<std::string> describeStep(const StepChecker& checker, const CountdownState& state,
                                        std::string_view block);

}  // namespace astro::world
