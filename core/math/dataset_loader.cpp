// JSONL loading: one record per line, each checked for its format's fields and types; the first
// problem stops the load unless skipBad, which records it and goes on.
#include "core/math/dataset_loader.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "core/base/error.h"
#include "core/base/sha256.h"
#include "core/math/answer_extraction.h"

namespace astro::math {

namespace {

using nlohmann::json;

const std::string& requireString(const json& record, const char* field) {
  auto found = record.find(field);
  if (found == record.end()) throw RecordError{field, "missing"};
  if (!found->is_string()) throw RecordError{field, std::string("expected a string, got ") +
                                                        found->type_name()};
  return found->get_ref<const std::string&>();
}

std::string optionalString(const json& record, const char* field) {
  auto found = record.find(field);
  if (found == record.end() || found->is_null()) return {};
  if (!found->is_string()) throw RecordError{field, std::string("expected a string, got ") +
                                                        found->type_name()};
  return found->get<std::string>();
}

// 27.0 -> "27"; 2.5 -> "2.5"; "025" -> "25" (AIME answers compare as integers).
std::string answerText(const json& value, const char* field) {
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_float()) {
    double number = value.get<double>();
    if (!std::isfinite(number)) throw RecordError{field, "not a finite number"};
    if (number == std::floor(number) && std::abs(number) < 1e15) {
      return std::to_string(static_cast<long long>(number));
    }
    return json(number).dump();
  }
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    bool digitsOnly = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    if (digitsOnly) {
      std::size_t firstNonZero = text.find_first_not_of('0');
      return firstNonZero == std::string::npos ? "0" : text.substr(firstNonZero);
    }
    if (text.empty()) throw RecordError{field, "empty"};
    return text;
  }
  throw RecordError{field, std::string("expected a number or string, got ") + value.type_name()};
}

// MATH: integer 1-5 (MATH-500) or "Level 3" (MATH train; "Level ?" is unknown, 0).
int levelOf(const json& record) {
  auto found = record.find("level");
  if (found == record.end() || found->is_null()) return 0;
  if (found->is_number_integer()) return found->get<int>();
  if (found->is_string()) {
    const std::string& text = found->get_ref<const std::string&>();
    std::string digits = text.starts_with("Level ") ? text.substr(6) : text;
    if (digits == "?") return 0;
    if (digits.size() == 1 && digits[0] >= '0' && digits[0] <= '9') return digits[0] - '0';
    throw RecordError{"level", "expected \"Level N\", got \"" + text + "\""};
  }
  throw RecordError{"level", std::string("expected an integer or string, got ") +
                                 found->type_name()};
}

std::string idOf(const json& record, const std::string& fallback) {
  for (const char* field : {"unique_id", "id"}) {
    auto found = record.find(field);
    if (found == record.end() || found->is_null()) continue;
    if (found->is_string()) return found->get<std::string>();
    if (found->is_number_integer()) return std::to_string(found->get<long long>());
    throw RecordError{field, std::string("expected a string or integer, got ") +
                                 found->type_name()};
  }
  return fallback;
}

Problem readRecord(const json& record, DatasetFormat format, const std::string& fallbackId) {
  Problem problem;
  problem.id = idOf(record, fallbackId);
  switch (format) {
    case DatasetFormat::kMath: {
      problem.question = requireString(record, "problem");
      problem.solution = optionalString(record, "solution");
      problem.subject = optionalString(record, "subject");
      if (problem.subject.empty()) problem.subject = optionalString(record, "type");
      problem.level = levelOf(record);
      if (record.contains("answer")) {
        problem.answer = answerText(record["answer"], "answer");
      } else {
        // MATH train ships no answer field: the final answer is the solution's last \boxed{}.
        const std::string& solution = requireString(record, "solution");
        auto extraction = extractAnswer(solution);
        if (!extraction || (extraction->method != "boxed" && extraction->method != "fbox")) {
          throw RecordError{"solution", "no \\boxed{} answer and no answer field"};
        }
        if (extraction->text.find_first_not_of(" \t\n") == std::string::npos) {
          throw RecordError{"solution", "empty \\boxed{} and no answer field"};
        }
        problem.answer = extraction->text;
      }
      break;
    }
    case DatasetFormat::kCompetition:
    case DatasetFormat::kGeneric: {
      problem.question = record.contains("problem") ? requireString(record, "problem")
                                                    : requireString(record, "question");
      if (!record.contains("answer")) throw RecordError{"answer", "missing"};
      problem.answer = answerText(record["answer"], "answer");
      problem.solution = optionalString(record, "solution");
      problem.subject = optionalString(record, "subject");
      problem.level = levelOf(record);
      break;
    }
    case DatasetFormat::kGsm8k: {
      problem.question = requireString(record, "question");
      problem.solution = requireString(record, "answer");
      std::size_t marker = problem.solution.rfind("####");
      if (marker == std::string::npos) throw RecordError{"answer", "no \"#### <answer>\" line"};
      std::string answer = problem.solution.substr(marker + 4);
      answer.erase(0, answer.find_first_not_of(" \t"));
      answer.erase(answer.find_last_not_of(" \t\r\n") + 1);
      if (answer.empty()) throw RecordError{"answer", "empty after ####"};
      problem.answer = answer;
      break;
    }
    case DatasetFormat::kAuto:
      break;
  }
  if (problem.question.empty()) {
    throw RecordError{format == DatasetFormat::kGsm8k ? "question" : "problem", "empty"};
  }
  return problem;
}

}  // namespace

const char* formatName(DatasetFormat format) {
  switch (format) {
    case DatasetFormat::kAuto: return "auto";
    case DatasetFormat::kMath: return "math";
    case DatasetFormat::kCompetition: return "competition";
    case DatasetFormat::kGsm8k: return "gsm8k";
    case DatasetFormat::kGeneric: return "generic";
  }
  return "auto";
}

std::optional<DatasetFormat> parseFormatName(std::string_view name) {
  if (name == "auto") return DatasetFormat::kAuto;
  if (name == "math" || name == "math500") return DatasetFormat::kMath;
  if (name == "competition" || name == "amc" || name == "aime") return DatasetFormat::kCompetition;
  if (name == "gsm8k") return DatasetFormat::kGsm8k;
  if (name == "generic") return DatasetFormat::kGeneric;
  return std::nullopt;
}

std::optional<DatasetFormat> detectFormat(const json& record) {
  if (!record.is_object()) return std::nullopt;
  bool hasProblem = record.contains("problem");
  if (!hasProblem && record.contains("question") && record.contains("answer") &&
      record["answer"].is_string() &&
      record["answer"].get_ref<const std::string&>().find("####") != std::string::npos) {
    return DatasetFormat::kGsm8k;
  }
  if (hasProblem && record.contains("solution") &&
      (record.contains("level") || record.contains("type") || record.contains("subject"))) {
    return DatasetFormat::kMath;
  }
  if (hasProblem && record.contains("answer") && record.contains("url")) {
    return DatasetFormat::kCompetition;
  }
  if ((hasProblem || record.contains("question")) && record.contains("answer")) {
    return DatasetFormat::kGeneric;
  }
  return std::nullopt;
}

bool isValidUtf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    auto byte = static_cast<unsigned char>(bytes[i]);
    int length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3
               : (byte >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > bytes.size()) return false;
    std::uint32_t codePoint = length == 1 ? byte : byte & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(bytes[i + k]);
      if ((next >> 6) != 0x2) return false;
      codePoint = (codePoint << 6) | (next & 0x3F);
    }
    static const std::uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (codePoint < kMinimum[length] || codePoint > 0x10FFFF ||
        (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

LoadedDataset loadDataset(const std::filesystem::path& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string(), "open", errno);
  const std::string file = path.string();
  LoadedDataset loaded;
  loaded.format = options.format;
  std::string source = options.name.empty() ? path.stem().string() : options.name;
  std::string line;
  std::int64_t lineNumber = 0;
  bool anyContent = false;
  const RecordReader* chosen = nullptr;  // the reader that detected a record, fixed from then on
  while (std::getline(in, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    anyContent = true;
    try {
      if (!isValidUtf8(line)) throw RecordError{"", "not valid UTF-8"};
      json record = json::parse(line, nullptr, false);
      if (record.is_discarded()) throw RecordError{"", "not valid JSON"};
      if (!record.is_object()) throw RecordError{"", "expected a JSON object"};
      if (chosen == nullptr && loaded.format == DatasetFormat::kAuto) {
        auto detecting = std::find_if(options.readers.begin(), options.readers.end(),
                                      [&](const RecordReader& r) { return r.detects(line); });
        if (detecting != options.readers.end()) {
          chosen = &*detecting;
          loaded.reader = chosen->name;
        }
      }
      if (chosen != nullptr) {
        Problem problem = chosen->read(line);
        if (problem.id.empty()) problem.id = source + ":" + std::to_string(lineNumber);
        problem.source = source;
        loaded.problems.push_back(std::move(problem));
        continue;
      }
      DatasetFormat format = loaded.format;
      if (format == DatasetFormat::kAuto) {
        auto detected = detectFormat(record);
        if (!detected) {
          throw RecordError{"problem", "no known fields (need problem+answer, "
                                       "problem+solution+level, or question+answer with ####)"};
        }
        format = *detected;
      }
      Problem problem = readRecord(record, format, source + ":" + std::to_string(lineNumber));
      problem.source = source;
      loaded.format = format;  // the first good record fixes the format for the rest
      loaded.problems.push_back(std::move(problem));
    } catch (const RecordError& error) {
      ParseError parseError(file, lineNumber, error.field, error.what);
      if (!options.skipBad) throw parseError;
      loaded.skipped.push_back({lineNumber, parseError.what()});
    }
  }
  if (in.bad()) throw IoError(file, "read", errno);
  if (!anyContent) throw ParseError(file, 0, "", "file is empty");
  return loaded;
}

DatasetInfo describeDataset(const std::filesystem::path& path, const LoadedDataset& loaded,
                            std::string name) {
  DatasetInfo info;
  info.name = name.empty() ? path.stem().string() : std::move(name);
  info.path = path.string();
  info.sha256 = sha256FileHex(path);
  info.format = loaded.reader.empty() ? formatName(loaded.format) : loaded.reader;
  info.records = static_cast<std::int64_t>(loaded.problems.size());
  return info;
}

}  // namespace astro::math
