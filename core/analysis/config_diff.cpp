// Flattening TOML and JSON configs to dotted keys, and the keys that differ (config_diff.h).
#include "core/analysis/config_diff.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/base/error.h"

namespace astro::analysis {

namespace {

std::string childKey(const std::string& parent, std::string_view name) {
  return parent.empty() ? std::string(name) : parent + "." + std::string(name);
}

std::string indexKey(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

// The shortest text that reads back as `value` (toml++ prints 3e-3 as 0.0030000000000000001),
// with ".0" when it would read as an integer, so 1 and 1.0 still differ visibly.
std::string floatText(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, error == std::errc() ? end : buffer);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

// TOML spelling with strings in double quotes (as configs are written, and as JSON has them);
// toml++'s own printer picks single-quoted literal strings.
std::string tomlValueText(const toml::node& node) {
  if (const auto* text = node.as_string()) return nlohmann::json(text->get()).dump();
  if (const auto* number = node.as_floating_point()) return floatText(number->get());
  if (const toml::array* array = node.as_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < array->size(); ++i) {
      out += (i ? ", " : "") + tomlValueText(*array->get(i));
    }
    return out + "]";
  }
  if (const toml::table* table = node.as_table()) {
    std::string out = "{";
    for (auto&& [name, child] : *table) {
      out += (out.size() > 1 ? ", " : " ") + std::string(name.str()) + " = " + tomlValueText(child);
    }
    return out + " }";
  }
  std::ostringstream text;
  node.visit([&](auto&& value) { text << value; });
  return text.str();
}

void flattenToml(const toml::node& node, const std::string& key, FlatConfig& out) {
  if (const toml::table* table = node.as_table()) {
    // An empty table still says something: a stage enabled with every default.
    if (table->empty() && !key.empty()) out[key] = "{}";
    for (auto&& [name, child] : *table) flattenToml(child, childKey(key, name.str()), out);
    return;
  }
  if (const toml::array* array = node.as_array(); array && array->is_array_of_tables()) {
    for (std::size_t i = 0; i < array->size(); ++i)
      flattenToml(*array->get(i), indexKey(key, i), out);
    return;
  }
  out[key] = tomlValueText(node);
}

bool isArrayOfObjects(const nlohmann::json& json) {
  return json.is_array() && !json.empty() &&
         std::all_of(json.begin(), json.end(), [](const auto& item) { return item.is_object(); });
}

void flattenJson(const nlohmann::json& json, const std::string& key, FlatConfig& out) {
  if (json.is_object()) {
    if (json.empty() && !key.empty()) out[key] = "{}";
    for (auto it = json.begin(); it != json.end(); ++it) {
      flattenJson(it.value(), childKey(key, it.key()), out);
    }
    return;
  }
  if (isArrayOfObjects(json)) {
    for (std::size_t i = 0; i < json.size(); ++i) flattenJson(json[i], indexKey(key, i), out);
    return;
  }
  out[key] = json.dump();
}

// The value of `key` in `config`; a table flattened into child keys counts as "{}", so an
// empty [evaluate] in one run and a filled one in another do not differ on the key "evaluate".
std::optional<std::string> valueOf(const FlatConfig& config, const std::string& key) {
  if (auto found = config.find(key); found != config.end()) return found->second;
  for (const char* separator : {".", "["}) {
    auto child = config.lower_bound(key + separator);
    if (child != config.end() && child->first.starts_with(key + separator)) return "{}";
  }
  return std::nullopt;
}

}  // namespace

FlatConfig flattenConfig(std::string_view text, const std::string& source) {
  FlatConfig flat;
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return flat;
  if (text[first] == '{') {
    try {
      flattenJson(nlohmann::json::parse(text), "", flat);
    } catch (const nlohmann::json::parse_error& error) {
      throw Error(source + ": " + error.what());
    }
    return flat;
  }
  try {
    flattenToml(toml::parse(text, source), "", flat);
  } catch (const toml::parse_error& error) {
    throw Error(source + ":" + std::to_string(error.source().begin.line) + ": " +
                std::string(error.description()));
  }
  return flat;
}

std::vector<ConfigDiffRow> diffConfigs(const std::vector<FlatConfig>& configs) {
  std::vector<ConfigDiffRow> rows;
  if (configs.size() < 2) return rows;
  std::set<std::string> keys;
  for (const auto& config : configs) {
    for (const auto& [key, value] : config) keys.insert(key);
  }
  for (const auto& key : keys) {
    ConfigDiffRow row{.key = key};
    for (const auto& config : configs) row.values.push_back(valueOf(config, key));
    bool same = std::all_of(row.values.begin(), row.values.end(),
                            [&](const auto& value) { return value == row.values.front(); });
    if (!same) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace astro::analysis
