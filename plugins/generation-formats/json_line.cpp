// JSON line helpers of the generation-formats plugin (json_line.h).
#include "json_line.h"

#include <vector>

namespace generation_formats {

namespace {

using nlohmann::json;

// SAX handler that notes which of the wanted keys the top-level object has, and stops as soon as
// the answer is known.
class TopLevelKeyScan final : public nlohmann::json_sax<json> {
 public:
  TopLevelKeyScan(std::initializer_list<const char*> keys, bool all)
      : keys_(keys), seen_(keys.size(), false), all_(all) {}
  bool decided() const { return decided_; }

  bool key(string_t& name) override {
    if (depth_ != 1) return true;
    std::size_t index = 0;
    for (const char* wanted : keys_) {
      if (name == wanted) seen_[index] = true;
      ++index;
    }
    bool any = false;
    bool every = true;
    for (bool seen : seen_) any = any || seen, every = every && seen;
    decided_ = all_ ? every : any;
    return !decided_;  // false stops the parse
  }
  bool start_object(std::size_t) override { return ++depth_, true; }
  bool end_object() override { return --depth_, true; }
  bool start_array(std::size_t) override { return depth_++ != 0; }  // a top-level array: no
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
  std::vector<bool> seen_;
  bool all_;
  int depth_ = 0;
  bool decided_ = false;
};

}  // namespace

bool hasTopLevelKeys(std::string_view line, std::initializer_list<const char*> keys, bool all) {
  // Unless \u escapes spell it, a key is in the text as "key" (quotes included, which text inside
  // a string value cannot hold unescaped): most lines are decided here.
  if (line.find("\\u") == std::string_view::npos) {
    bool any = false;
    bool every = true;
    for (const char* key : keys) {
      bool inText = line.find('"' + std::string(key) + '"') != std::string_view::npos;
      any = any || inText;
      every = every && inText;
    }
    if (!(all ? every : any)) return false;
  }
  TopLevelKeyScan scan(keys, all);
  json::sax_parse(line.begin(), line.end(), &scan);
  return scan.decided();
}

json parseObject(std::string_view line) {
  json object;
  try {
    object = json::parse(line);
  } catch (const json::exception& e) {
    throw LineError(std::string("invalid JSON: ") + e.what());
  }
  if (!object.is_object()) throw LineError("expected a JSON object");
  return object;
}

std::string textField(const json& object, std::initializer_list<const char*> keys, bool required,
                      const char* what) {
  const char* key = nullptr;
  const json* value = nullptr;
  for (const char* candidate : keys) {
    auto it = object.find(candidate);
    if (it != object.end() && !it->is_null()) {
      key = candidate;
      value = &*it;
      break;
    }
  }
  if (value == nullptr) {
    if (!required) return {};
    std::string names;
    for (const char* k : keys) names += std::string(names.empty() ? "\"" : ", \"") + k + "\"";
    throw LineError(std::string("missing ") + what + " (one of " + names + ")");
  }
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number()) return value->dump();
  // verl writes the ground truth as a list when a problem has several accepted answers.
  if (value->is_array() && !value->empty() && (*value)[0].is_string()) {
    return (*value)[0].get<std::string>();
  }
  throw LineError(std::string("field '") + key + "': expected a string, found " +
                  value->type_name());
}

void readCommonFields(const json& object, Sample& sample) {
  sample.answer = textField(object, {"answer", "gts", "ground_truth", "gold"}, false, "answer");
  sample.checkpoint = textField(object, {"checkpoint", "step"}, false, "checkpoint");
  sample.benchmark = textField(object, {"benchmark", "data_source"}, false, "benchmark");
  sample.id = textField(object, {"id", "problem_id", "unique_id", "idx"}, false, "id");
}

}  // namespace generation_formats
