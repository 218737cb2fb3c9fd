// `astro grade` logic: strict line parsing, one verdict per line, counts per rule.
#include "core/math/grade_file.h"

#include <cmath>
#include <cstdio>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/base/error.h"
#include "core/math/dataset_loader.h"
#include "core/math/math_verifier.h"

namespace astro::math {

namespace {

std::string textField(const nlohmann::json& record, const char* field, const std::string& file,
                      std::int64_t line) {
  auto found = record.find(field);
  if (found == record.end()) throw ParseError(file, line, field, "missing");
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_integer()) return std::to_string(found->get<long long>());
  if (found->is_number_float()) {
    double value = found->get<double>();
    if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 1e15) {
      return std::to_string(static_cast<long long>(value));
    }
    return found->dump();
  }
  throw ParseError(file, line, field,
                   std::string("expected a string or number, got ") + found->type_name());
}

}  // namespace

std::string GradeSummary::describe() const {
  char accuracyText[32];
  std::snprintf(accuracyText, sizeof accuracyText, "%.2f%%", 100.0 * accuracy());
  std::string text = "graded " + std::to_string(graded) + ": correct " + std::to_string(correct) +
                     ", wrong " + std::to_string(graded - correct) + " (no answer " +
                     std::to_string(noAnswer) + "), accuracy " + accuracyText + "; rules:";
  for (const auto& [rule, count] : byRule) text += " " + rule + "=" + std::to_string(count);
  return text;
}

GradeSummary gradeJsonl(std::istream& in, const std::string& fileName, std::ostream& out) {
  GradeSummary summary;
  std::string line;
  std::int64_t lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (!isValidUtf8(line)) throw ParseError(fileName, lineNumber, "", "not valid UTF-8");
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded()) throw ParseError(fileName, lineNumber, "", "not valid JSON");
    if (!record.is_object()) throw ParseError(fileName, lineNumber, "", "expected a JSON object");
    std::string prediction = textField(record, "prediction", fileName, lineNumber);
    std::string gold = textField(record, "answer", fileName, lineNumber);
    Verdict verdict = gradeAnswer(gold, prediction);
    nlohmann::ordered_json result = {
        {"correct", verdict.correct}, {"extracted", verdict.extracted}, {"rule", verdict.rule}};
    out << result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    ++summary.graded;
    if (verdict.correct) ++summary.correct;
    if (!verdict.answerFound) ++summary.noAnswer;
    ++summary.byRule[verdict.rule];
  }
  if (in.bad()) throw IoError(fileName, "read", errno);
  return summary;
}

}  // namespace astro::math
