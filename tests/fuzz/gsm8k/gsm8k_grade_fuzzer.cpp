// Fuzz target for the GSM8K plugin's grade and claims (plugins/gsm8k) through its C ABI: the input
// is split at the first newline into a gold answer and a model output. A crash, sanitizer report
// or hang is a finding, and so is a verdict that breaks the ABI: an answer offset past the output,
// an unterminated string, an error return on well-formed arguments, or an output of "#### <gold>"
// graded wrong for a gold the domain claims.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "astro_plugin.h"
#include "registered_domain.h"

namespace {

using gsm8k_fuzz::domain;

// Grades `output`; aborts on a broken verdict. Returns whether it was right.
bool gradeChecked(const AstroProblem& problem, std::string_view output) {
  char extracted[16];
  char rule[32];
  std::memset(extracted, 'x', sizeof(extracted));
  std::memset(rule, 'x', sizeof(rule));
  AstroVerdict verdict{};
  verdict.extracted = extracted;
  verdict.extracted_size = sizeof(extracted);
  verdict.rule = rule;
  verdict.rule_size = sizeof(rule);
  if (domain().grade(domain().context, &problem, output.data(), output.size(), &verdict) != 0) {
    std::abort();
  }
  if (verdict.answer_offset > output.size()) std::abort();
  if (std::memchr(extracted, '\0', sizeof(extracted)) == nullptr) std::abort();
  if (std::memchr(rule, '\0', sizeof(rule)) == nullptr) std::abort();
  return verdict.correct != 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t split = input.find('\n');
  const std::string gold(split == input.npos ? input : input.substr(0, split));
  std::string_view output = split == input.npos ? input : input.substr(split + 1);
  const AstroProblem problem{"gsm8k_test:1", "Q?", gold.c_str(), "gsm8k_test", "{}"};
  gradeChecked(problem, output);
  const bool claimed = domain().claims(domain().context, &problem) != 0;
  // A claimed gold is a plain number; stated after "####" it is right (up to its first NUL, where
  // the C string the host passes ends).
  if (claimed && !gradeChecked(problem, "#### " + std::string(gold.c_str()))) std::abort();
  return 0;
}
