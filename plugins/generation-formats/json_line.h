// What the chat and verl formats share: one JSONL line as a JSON object, fields read by their
// aliases with errors that name the field, and detection by top-level keys without a full parse.
// Plugin-internal (the plugin links no astro library): errors are LineError, turned into the C
// ABI's error text at the boundary (generation_formats_plugin.cpp).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace generation_formats {

// A line that does not read: the message names the field at fault.
struct LineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One line read, before it crosses the ABI as AstroGenerationRecord.
struct Sample {
  std::string prompt;
  std::string completion;
  std::string answer;
  std::string checkpoint;
  std::string benchmark;
  std::string id;
  std::optional<double> score;
};

// Whether the line's top-level object has every one of `keys` (all) or any of them (!all); stops
// scanning once decided and builds no document. False for invalid JSON before that point.
bool hasTopLevelKeys(std::string_view line, std::initializer_list<const char*> keys, bool all);

// The line as a JSON object; throws LineError "invalid JSON: ..." or "expected a JSON object".
nlohmann::json parseObject(std::string_view line);

// The first of `keys` present and not null, as text (numbers as written, the first string of a
// list); "" when none and not required. Throws LineError naming the field or the keys.
std::string textField(const nlohmann::json& object, std::initializer_list<const char*> keys,
                      bool required, const char* what);

// The fields every format reads the same way: gold answer, checkpoint, benchmark and id.
void readCommonFields(const nlohmann::json& object, Sample& sample);

}  // namespace generation_formats
