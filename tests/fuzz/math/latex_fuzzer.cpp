// Fuzz target for the verifier's readers of untrusted text: the input is split at the first
// newline into a gold answer and a model output, then parsed, normalised, extracted and compared.
// Any crash, sanitizer report or hang is a finding; verdicts themselves are not checked.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/math/answer_extraction.h"
#include "core/math/equivalence.h"
#include "core/math/latex_normalize.h"
#include "core/math/latex_parser.h"
#include "core/math/math_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t split = input.find('\n');
  std::string_view gold = split == input.npos ? input : input.substr(0, split);
  std::string_view output = split == input.npos ? input : input.substr(split + 1);

  auto parsed = astro::math::parseLatexExpression(gold);
  if (parsed.ok) {
    (void)astro::math::exactValue(parsed.expression);
    (void)astro::math::evaluate(parsed.expression, {{"x", 0.5}, {"y", -1.5}});
    (void)astro::math::canonicalText(parsed.expression);
  }
  (void)astro::math::normalizeAnswer(output);
  (void)astro::math::extractAnswer(output);
  (void)astro::math::compareAnswers(gold, gold);
  (void)astro::math::gradeAnswer(gold, output);
  return 0;
}
