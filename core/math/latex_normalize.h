// Normalises a bare LaTeX answer to a canonical spelling before comparison: drops sizing
// (\left, \dfrac, \displaystyle), spacing, \text{} wrappers and unit words, degree and percent
// signs, dollar signs, thousands separators and trailing periods. Idempotent:
// normalizeAnswer(normalizeAnswer(x)) == normalizeAnswer(x).
#pragma once

#include <string>
#include <string_view>

namespace astro::math {

std::string normalizeAnswer(std::string_view answer);

// True when `word` (lower case, no spaces) is a unit the normaliser drops after a number
// ("cm", "inches", "dollars"); one-letter words never are, so variables survive.
bool isUnitWord(std::string_view word);

}  // namespace astro::math
