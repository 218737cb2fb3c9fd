// Fuzz target for the GSM8K plugin's dataset reader (plugins/gsm8k/dataset_record.h) through its
// C ABI: the input is one JSONL record. A crash, sanitizer report or hang is a finding, and so is
// a result that breaks the ABI: a field or error name left unterminated, a refusal without a
// reason, a read record without a question or with a gold the domain cannot grade.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "astro_plugin.h"
#include "exact_number.h"
#include "registered_domain.h"

namespace {

// The domain, checked once to have the dataset reader this target calls.
const AstroDomainV1& domain() {
  static const AstroDomainV1& registered = []() -> const AstroDomainV1& {
    const AstroDomainV1& d = gsm8k_fuzz::domain();
    if (d.reads_record == nullptr || d.read_record == nullptr) std::abort();
    return d;
  }();
  return registered;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The host passes a NUL-terminated copy of the line.
  const std::string record(reinterpret_cast<const char*>(data), size);
  const int detected = domain().reads_record(domain().context, record.c_str(), record.size());
  if (detected != 0 && detected != 1) std::abort();
  AstroDatasetRecord problem{};
  char field[8];
  char error[24];
  std::memset(field, 'x', sizeof(field));
  std::memset(error, 'x', sizeof(error));
  const int status = domain().read_record(domain().context, record.c_str(), record.size(),
                                          &problem, field, sizeof(field), error, sizeof(error));
  if (status != 0) {
    if (std::memchr(field, '\0', sizeof(field)) == nullptr) std::abort();
    if (std::memchr(error, '\0', sizeof(error)) == nullptr || error[0] == '\0') std::abort();
    return 0;
  }
  if (problem.question == nullptr || problem.question[0] == '\0') std::abort();
  if (problem.answer == nullptr || problem.solution == nullptr) std::abort();
  if (!gsm8k::parseExactNumber(problem.answer)) std::abort();
  return 0;
}
