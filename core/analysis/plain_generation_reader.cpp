// PlainGenerationReader (plain_generation_reader.h): detection by the top-level keys alone, then
// one parse of the line per read.
#include "core/analysis/plain_generation_reader.h"

#include <initializer_list>
#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace astro::analysis {

namespace {

using nlohmann::json;

constexpr std::initializer_list<const char*> kPromptKeys = {"prompt", "problem", "question"};

// SAX handler that stops at the first top-level key of `keys`, without building the document.
class TopLevelKeyScan final : public nlohmann::json_sax<json> {
 public:
  explicit TopLevelKeyScan(std::initializer_list<const char*> keys) : keys_(keys) {}
  bool found() const { return found_; }

  bool key(string_t& name) override {
    if (depth_ != 1) return true;
    for (const char* wanted : keys_) {
      if (name == wanted) {
        found_ = true;
        return false;  // decided: stop scanning
      }
    }
    return true;
  }
  bool start_object(std::size_t) override { return ++depth_, true; }
  bool end_object() override { return --depth_, true; }
  // A top-level array is no object: stop there.
  bool start_array(std::size_t) override { return depth_++ != 0; }
  bool end_array() override { return --depth_, true; }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  std::initializer_list<const char*> keys_;
  int depth_ = 0;
  bool found_ = false;
};

bool hasTopLevelKey(std::string_view line, std::initializer_list<const char*> keys) {
  // Unless \u escapes spell it, a key is in the text as "key" (quotes included, which text inside
  // a string value cannot hold unescaped): skip the scan when none can match.
  if (line.find("\\u") == std::string_view::npos) {
    bool anyInText = false;
    for (const char* key : keys) {
      anyInText = anyInText || line.find('"' + std::string(key) + '"') != std::string_view::npos;
    }
    if (!anyInText) return false;
  }
  TopLevelKeyScan scan(keys);
  json::sax_parse(line.begin(), line.end(), &scan);
  return scan.found();
}

const json* findFirst(const json& object, std::initializer_list<const char*> keys,
                      const char** foundKey) {
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end() && !it->is_null()) {
      *foundKey = key;
      return &*it;
    }
  }
  return nullptr;
}

// The first of `keys` present (not null) as text; numbers as written. Throws naming the field.
std::string textField(const json& object, std::initializer_list<const char*> keys, bool required,
                      const char* what) {
  const char* key = nullptr;
  const json* value = findFirst(object, keys, &key);
  if (!value) {
    if (!required) return {};
    std::string names;
    for (const char* k : keys) names += std::string(names.empty() ? "\"" : ", \"") + k + "\"";
    throw Error(std::string("missing ") + what + " (one of " + names + ")");
  }
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number()) return value->dump();
  // Some dumps write the ground truth as a list when a problem has several accepted answers.
  if (value->is_array() && !value->empty() && (*value)[0].is_string()) {
    return (*value)[0].get<std::string>();
  }
  throw Error(std::string("field '") + key + "': expected a string, found " + value->type_name());
}

}  // namespace

std::string_view PlainGenerationReader::description() const {
  return "JSONL {prompt|problem|question, completion|response|generation|output, answer, "
         "checkpoint|step, benchmark, id}";
}

bool PlainGenerationReader::detects(std::string_view line) const {
  return hasTopLevelKey(line, kPromptKeys);
}

GenerationRecord PlainGenerationReader::read(std::string_view line) const {
  json object;
  try {
    object = json::parse(line);
  } catch (const json::exception& e) {
    throw Error(std::string("invalid JSON: ") + e.what());
  }
  if (!object.is_object()) throw Error("expected a JSON object");
  GenerationRecord record;
  record.prompt = textField(object, kPromptKeys, true, "prompt");
  record.completion =
      textField(object, {"completion", "response", "generation", "output"}, true, "completion");
  record.answer = textField(object, {"answer", "gts", "ground_truth", "gold"}, false, "answer");
  record.checkpoint = textField(object, {"checkpoint", "step"}, false, "checkpoint");
  record.benchmark = textField(object, {"benchmark", "data_source"}, false, "benchmark");
  record.id = textField(object, {"id", "problem_id", "unique_id", "idx"}, false, "id");
  return record;
}

}  // namespace astro::analysis
