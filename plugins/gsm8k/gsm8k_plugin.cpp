// The GSM8K domain plugin: its manifest and its registration through the C ABI
// (core/plugin/astro_plugin.h), the only Astro Studio header it uses. An output is graded by
// extracting its final answer (answer_extraction.h) and comparing that number exactly
// (exact_number.h) with the gold one (problem_claims.h). GSM8K files are read by its own dataset
// reader (dataset_record.h). Nothing throws across the boundary: every callback catches.
#include <cstring>
#include <string_view>

#include "answer_extraction.h"
#include "astro_plugin.h"
#include "dataset_record.h"
#include "problem_claims.h"

namespace gsm8k {

namespace {

constexpr const char* kDescription =
    "GSM8K grade-school math: \"#### N\" answers, graded by exact numeric equivalence";

// Copies `text` into a host buffer, truncated and always NUL-terminated.
void copyInto(char* buffer, std::size_t size, std::string_view text) {
  if (buffer == nullptr || size == 0) return;
  std::size_t length = text.size() < size - 1 ? text.size() : size - 1;
  std::memcpy(buffer, text.data(), length);
  buffer[length] = '\0';
}

int claims(void*, const AstroProblem* problem) {
  try {
    return problem != nullptr && claimsProblem(*problem) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

int grade(void*, const AstroProblem* problem, const char* output, std::size_t outputSize,
          AstroVerdict* verdict) {
  if (problem == nullptr || verdict == nullptr || (output == nullptr && outputSize > 0)) return 1;
  try {
    verdict->correct = 0;
    verdict->answer_found = 0;
    verdict->answer_offset = 0;
    copyInto(verdict->extracted, verdict->extracted_size, "");  // the buffers may hold anything
    copyInto(verdict->rule, verdict->rule_size, "");
    auto extraction = extractFinalAnswer(
        std::string_view(output == nullptr ? "" : output, output == nullptr ? 0 : outputSize));
    if (!extraction) {
      copyInto(verdict->rule, verdict->rule_size, "no-answer");
      return 0;
    }
    verdict->answer_found = 1;
    verdict->answer_offset = extraction->offset;
    copyInto(verdict->extracted, verdict->extracted_size, extraction->text);
    auto given = answerNumber(extraction->text);
    auto gold = goldNumber(*problem);
    if (!gold) {
      copyInto(verdict->rule, verdict->rule_size, "gold-not-a-number");
    } else if (!given) {
      copyInto(verdict->rule, verdict->rule_size, "not-a-number");
    } else {
      verdict->correct = *given == *gold ? 1 : 0;
      copyInto(verdict->rule, verdict->rule_size, "numeric");
    }
    return 0;
  } catch (...) {
    return 1;  // out of memory: the host counts the sample as ungraded
  }
}

int readsRecord(void*, const char* record, std::size_t recordSize) {
  if (record == nullptr) return 0;
  try {
    return isDatasetRecord(std::string_view(record, recordSize)) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

// The strings handed back live here until the next call (the host never overlaps calls).
DatasetRecord lastRecord;

int readRecord(void*, const char* record, std::size_t recordSize, AstroDatasetRecord* problem,
               char* field, std::size_t fieldSize, char* error, std::size_t errorSize) {
  if (record == nullptr || problem == nullptr) return 1;
  try {
    RecordResult result = readDatasetRecord(std::string_view(record, recordSize));
    if (!result.record) {
      copyInto(field, fieldSize, result.problem.field);
      copyInto(error, errorSize, result.problem.why);
      return 1;
    }
    lastRecord = std::move(*result.record);
    problem->id = lastRecord.id.c_str();
    problem->question = lastRecord.question.c_str();
    problem->answer = lastRecord.answer.c_str();
    problem->solution = lastRecord.solution.c_str();
    problem->extra_json = nullptr;
    return 0;
  } catch (...) {
    copyInto(field, fieldSize, "");
    copyInto(error, errorSize, "out of memory");
    return 1;
  }
}

}  // namespace

}  // namespace gsm8k

extern "C" ASTRO_PLUGIN_EXPORT const AstroPluginManifest* astro_plugin_manifest(void) {
  static const AstroPluginManifest manifest = {
      .api_version = ASTRO_PLUGIN_API_VERSION,
      .name = "gsm8k",
      .version = "1.0.0",
      .description = gsm8k::kDescription,
      .provides = "domain:gsm8k",
  };
  return &manifest;
}

extern "C" ASTRO_PLUGIN_EXPORT int astro_plugin_register(const AstroPluginHost* host) {
  if (host == nullptr || host->add_domain == nullptr) return 1;
  static const AstroDomainV1 domain = {
      .struct_size = sizeof(AstroDomainV1),
      .name = "gsm8k",
      .description = gsm8k::kDescription,
      .context = nullptr,
      .claims = &gsm8k::claims,
      .grade = &gsm8k::grade,
      .accepts_step = nullptr,  // GSM8K steps are free text
      .reads_record = &gsm8k::readsRecord,
      .read_record = &gsm8k::readRecord,
  };
  if (host->add_domain(host, &domain) != 0) {
    if (host->fail != nullptr) host->fail(host, "the host refused the domain \"gsm8k\"");
    return 1;
  }
  return 0;
}
