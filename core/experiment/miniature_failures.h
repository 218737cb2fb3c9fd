// Why the held-out answers are wrong (analysis/answer_failure.h), as the miniature reports show
// it beside the backtrack behaviour: the share of wrong answers whose final path holds a step the
// world's step validator rejects, and the share with valid steps and a wrong answer.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/analysis/answer_failure.h"

namespace astro::experiment {

// {"answers", "wrong", "invalid_step", "wrong_answer", "no_answer", "invalid_step_share"} (the
// share of wrong answers, null without one); null as a whole when the evaluation did not keep it.
nlohmann::ordered_json failuresJson(const std::optional<analysis::AnswerFailures>& failures);

// " invalid step | valid steps, wrong answer |" (the header cells after a table's others).
std::string failureHeaderCells();
// The same as markdown cells: " 0.920 (92 of 100) | 0.060 (6 of 100) |", shares of the wrong
// answers; "n/a" where there is none or the evaluation did not keep them.
std::string failureCells(const std::optional<analysis::AnswerFailures>& failures);

}  // namespace astro::experiment
