// GSM8K records (dataset_record.h), parsed with nlohmann/json (header-only: the plugin links no
// Astro Studio library).
#include "dataset_record.h"

#include <nlohmann/json.hpp>

#include "exact_number.h"

namespace gsm8k {

namespace {

using nlohmann::json;

constexpr std::string_view kMarker = "####";

std::string_view trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<json> parseObject(std::string_view line) {
  json record = json::parse(line, nullptr, false);
  if (record.is_discarded() || !record.is_object()) return std::nullopt;
  return record;
}

RecordResult failure(std::string field, std::string why) {
  return RecordResult{std::nullopt, RecordProblem{std::move(field), std::move(why)}};
}

}  // namespace

bool isDatasetRecord(std::string_view line) {
  const auto record = parseObject(line);
  if (!record || record->contains("problem")) return false;
  const auto question = record->find("question");
  const auto answer = record->find("answer");
  return question != record->end() && question->is_string() && answer != record->end() &&
         answer->is_string() &&
         answer->get_ref<const std::string&>().find(kMarker) != std::string::npos;
}

std::string withoutAnnotations(std::string_view solution) {
  std::string text;
  std::size_t at = 0;
  while (at < solution.size()) {
    const std::size_t open = solution.find("<<", at);
    const std::size_t close = open == std::string_view::npos ? open : solution.find(">>", open + 2);
    if (close == std::string_view::npos) break;
    text.append(solution.substr(at, open - at));
    at = close + 2;
  }
  text.append(solution.substr(at));
  return text;
}

RecordResult readDatasetRecord(std::string_view line) {
  const auto record = parseObject(line);
  if (!record) return failure("", "not a JSON object");
  DatasetRecord read;
  const auto question = record->find("question");
  if (question == record->end()) return failure("question", "missing");
  if (!question->is_string()) return failure("question", "expected a string");
  read.question = std::string(trimmed(question->get_ref<const std::string&>()));
  if (read.question.empty()) return failure("question", "empty");

  const auto answer = record->find("answer");
  if (answer == record->end()) return failure("answer", "missing");
  if (!answer->is_string()) return failure("answer", "expected a string");
  const std::string& solution = answer->get_ref<const std::string&>();
  const std::size_t marker = solution.rfind(kMarker);
  if (marker == std::string::npos) return failure("answer", "no \"#### <answer>\" line");
  read.answer = std::string(trimmed(std::string_view(solution).substr(marker + kMarker.size())));
  if (read.answer.empty()) return failure("answer", "empty after ####");
  if (!parseExactNumber(read.answer)) {
    return failure("answer", "\"" + read.answer + "\" after #### is not a number");
  }
  read.solution =
      std::string(trimmed(withoutAnnotations(std::string_view(solution).substr(0, marker))));

  if (const auto id = record->find("id"); id != record->end() && !id->is_null()) {
    if (id->is_string()) {
      read.id = id->get<std::string>();
    } else if (id->is_number_integer()) {
      read.id = std::to_string(id->get<long long>());
    } else {
      return failure("id", "expected a string or integer");
    }
  }
  return RecordResult{std::move(read), {}};
}

}  // namespace gsm8k
