// Which problems are GSM8K's: what `verifier = "auto"` hands to this domain.
#pragma once

#include <optional>

#include "astro_plugin.h"
#include "exact_number.h"

namespace gsm8k {

// The gold answer as a number: the whole of problem.answer, spaces around it aside, read by
// parseExactNumber. Strict where a model's answer is read leniently (answer_extraction.h): a gold
// like "\sqrt{2}" is not GSM8K's, and reading its "2" would grade wrong answers right.
std::optional<ExactNumber> goldNumber(const AstroProblem& problem);

// True when the problem comes from a GSM8K file and its gold answer is a plain number. The host's
// dataset reader names a problem's source after its file ("gsm8k_test" for gsm8k_test.jsonl) and,
// as GSM8K records have no id, its id "<file stem>:<line>"; samples read back from a run's
// evaluation keep only the id. So either starting with "gsm8k" (any case) marks the origin, and
// goldNumber must read the gold ("18", "1,450,000", "-10"): that is all this domain grades.
bool claimsProblem(const AstroProblem& problem);

}  // namespace gsm8k
