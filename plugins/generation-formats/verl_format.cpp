// The verl format (verl_format.h).
#include "verl_format.h"

namespace generation_formats {

using nlohmann::json;

bool detectsVerl(std::string_view line) { return hasTopLevelKeys(line, {"input", "output"}, true); }

Sample readVerl(std::string_view line) {
  json object = parseObject(line);
  Sample sample;
  sample.prompt = textField(object, {"input"}, true, "prompt");
  sample.completion = textField(object, {"output"}, true, "completion");
  for (const char* key : {"score", "acc"}) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) continue;
    if (it->is_boolean()) {
      sample.score = it->get<bool>() ? 1.0 : 0.0;
    } else if (it->is_number()) {
      sample.score = it->get<double>();
    } else {
      throw LineError(std::string("field '") + key + "': expected a number");
    }
    break;
  }
  readCommonFields(object, sample);
  return sample;
}

}  // namespace generation_formats
