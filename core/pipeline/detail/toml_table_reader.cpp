// TomlTableReader (toml_table_reader.h).
#include "core/pipeline/detail/toml_table_reader.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/base/error.h"

namespace astro::pipeline::detail {

namespace {

std::string formatNumber(double value) {
  std::string text = std::to_string(value);
  while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
    bool dot = text.back() == '.';
    text.pop_back();
    if (dot) break;
  }
  return text;
}

std::string joined(const std::set<std::string, std::less<>>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

std::string shortestNumber(double value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : formatNumber(value);
}

std::string tomlString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

thread_local std::vector<ConfigKey>* recordingKeys = nullptr;

}  // namespace

SchemaRecording::SchemaRecording(std::vector<ConfigKey>& keys) { recordingKeys = &keys; }
SchemaRecording::~SchemaRecording() { recordingKeys = nullptr; }

void TomlTableReader::describe(std::string_view key, std::string type, std::string defaultValue,
                               std::optional<double> min, std::optional<double> max,
                               const std::vector<std::string>& choices) const {
  if (recordingKeys == nullptr) return;
  ConfigKey described{.table = tableName_,
                      .key = std::string(key),
                      .type = std::move(type),
                      .min = min,
                      .max = max,
                      .choices = choices,
                      .defaultValue = std::move(defaultValue)};
  recordingKeys->push_back(std::move(described));
}

TomlTableReader::TomlTableReader(const toml::table& table, std::string tableName,
                                 std::string source)
    : table_(table), tableName_(std::move(tableName)), source_(std::move(source)) {}

const toml::node* TomlTableReader::find(std::string_view key) {
  known_.emplace(key);
  return table_.get(key);
}

const toml::node* TomlTableReader::node(std::string_view key) {
  describe(key, "value", "");
  return find(key);
}

std::string TomlTableReader::field(std::string_view key) const {
  return tableName_.empty() ? std::string(key) : tableName_ + "." + std::string(key);
}

int TomlTableReader::line() const { return static_cast<int>(table_.source().begin.line); }

void TomlTableReader::fail(std::string_view key, const std::string& what) const {
  const toml::node* found = table_.get(key);
  throw ParseError(source_, found != nullptr ? found->source().begin.line : line(), field(key),
                   what);
}

void TomlTableReader::failAt(const toml::node& node, std::string_view key,
                             const std::string& what) const {
  throw ParseError(source_, node.source().begin.line, field(key), what);
}

void TomlTableReader::integer(std::string_view key, std::int64_t& target, std::int64_t min,
                              std::int64_t max) {
  describe(key, "integer", std::to_string(target), static_cast<double>(min),
           static_cast<double>(max));
  const toml::node* found = find(key);
  if (found == nullptr) return;
  if (!found->is_integer()) failAt(*found, key, "expected an integer");
  std::int64_t value = found->as_integer()->get();
  if (value < min || value > max) {
    failAt(*found, key,
           std::to_string(value) + " is out of range [" + std::to_string(min) + ", " +
               std::to_string(max) + "]");
  }
  target = value;
}

void TomlTableReader::integer(std::string_view key, int& target, std::int64_t min,
                              std::int64_t max) {
  std::int64_t wide = target;
  integer(key, wide, min, std::min<std::int64_t>(max, std::numeric_limits<int>::max()));
  target = static_cast<int>(wide);
}

void TomlTableReader::seed(std::string_view key, std::uint64_t& target) {
  std::int64_t wide = static_cast<std::int64_t>(target);
  integer(key, wide, 0, std::numeric_limits<std::int64_t>::max());
  target = static_cast<std::uint64_t>(wide);
}

void TomlTableReader::real(std::string_view key, double& target, double min, double max) {
  describe(key, "real", shortestNumber(target), min, max);
  const toml::node* found = find(key);
  if (found == nullptr) return;
  double value = 0;
  if (found->is_floating_point()) {
    value = found->as_floating_point()->get();
  } else if (found->is_integer()) {
    value = static_cast<double>(found->as_integer()->get());
  } else {
    failAt(*found, key, "expected a number");
  }
  if (!std::isfinite(value) || value < min || value > max) {
    failAt(*found, key,
           formatNumber(value) + " is out of range [" + formatNumber(min) + ", " +
               formatNumber(max) + "]");
  }
  target = value;
}

void TomlTableReader::boolean(std::string_view key, bool& target) {
  describe(key, "boolean", target ? "true" : "false");
  const toml::node* found = find(key);
  if (found == nullptr) return;
  if (!found->is_boolean()) failAt(*found, key, "expected true or false");
  target = found->as_boolean()->get();
}

void TomlTableReader::text(std::string_view key, std::string& target,
                           std::initializer_list<std::string_view> allowed) {
  text(key, target, std::vector<std::string>(allowed.begin(), allowed.end()));
}

void TomlTableReader::text(std::string_view key, std::string& target,
                           const std::vector<std::string>& allowed) {
  describe(key, "text", tomlString(target), {}, {}, allowed);
  const toml::node* found = find(key);
  if (found == nullptr) return;
  if (!found->is_string()) failAt(*found, key, "expected a string");
  std::string value = found->as_string()->get();
  if (allowed.size() > 0) {
    bool ok = false;
    std::string choices;
    for (const std::string& choice : allowed) {
      ok = ok || value == choice;
      choices += (choices.empty() ? "\"" : ", \"") + choice + "\"";
    }
    if (!ok) failAt(*found, key, "\"" + value + "\" is not one of " + choices);
  }
  target = std::move(value);
}

bool TomlTableReader::path(std::string_view key, std::filesystem::path& target,
                           const std::filesystem::path& baseDir) {
  describe(key, "path", "");
  const toml::node* found = find(key);
  if (found == nullptr) return false;
  if (!found->is_string()) failAt(*found, key, "expected a path string");
  std::string value = found->as_string()->get();
  if (value.empty()) failAt(*found, key, "the path is empty");
  if (value.find('\0') != std::string::npos) failAt(*found, key, "the path holds a NUL byte");
  std::filesystem::path given(value);
  target = (given.is_absolute() ? given : baseDir / given).lexically_normal();
  return true;
}

void TomlTableReader::finish() const {
  for (auto&& [key, value] : table_) {
    if (known_.contains(key.str())) continue;
    std::string what = "unknown key";
    if (!known_.empty()) what += " (this table knows: " + joined(known_) + ")";
    throw ParseError(source_, key.source().begin.line, field(key.str()), what);
  }
}

}  // namespace astro::pipeline::detail
