// Reading an endpoint table of a TOML config (endpoint_config_toml.h).
#include "core/endpoint/endpoint_config_toml.h"

#include <cmath>
#include <set>
#include <sstream>

#include "core/base/error.h"
#include "core/endpoint/endpoint_url.h"

namespace astro::endpoint {

namespace {

// One inline table read against its schema: every error names the source, line and field.key.
class TableReader {
 public:
  TableReader(const toml::table& table, const std::string& source, const std::string& field)
      : table_(table), source_(source), field_(field) {}

  const toml::node* find(const std::string& key) {
    known_.insert(key);
    return table_.get(key);
  }

  std::string text(const std::string& key, bool required) {
    const toml::node* node = find(key);
    if (node == nullptr) {
      if (required)
        failTable(key, "missing (an endpoint table needs endpoint, name and tokenizer)");
      return "";
    }
    if (!node->is_string()) failAt(*node, key, "expected a string");
    std::string value = node->as_string()->get();
    if (required && value.empty()) failAt(*node, key, "must not be empty");
    return value;
  }

  void real(const std::string& key, double& target, double min, double max) {
    const toml::node* node = find(key);
    if (node == nullptr) return;
    double value = 0;
    if (node->is_floating_point()) {
      value = node->as_floating_point()->get();
    } else if (node->is_integer()) {
      value = static_cast<double>(node->as_integer()->get());
    } else {
      failAt(*node, key, "expected a number");
    }
    if (!std::isfinite(value) || value < min || value > max) {
      std::ostringstream range;
      range << value << " is out of range [" << min << ", " << max << "]";
      failAt(*node, key, range.str());
    }
    target = value;
  }

  void integer(const std::string& key, int& target, int min, int max) {
    const toml::node* node = find(key);
    if (node == nullptr) return;
    if (!node->is_integer()) failAt(*node, key, "expected an integer");
    std::int64_t value = node->as_integer()->get();
    if (value < min || value > max) {
      failAt(*node, key,
             std::to_string(value) + " is out of range [" + std::to_string(min) + ", " +
                 std::to_string(max) + "]");
    }
    target = static_cast<int>(value);
  }

  void finish() const {
    for (auto&& [key, node] : table_) {
      if (known_.contains(std::string(key.str()))) continue;
      std::string knows;
      for (const std::string& name : known_) knows += (knows.empty() ? "" : ", ") + name;
      throw ParseError(source_, key.source().begin.line, field_ + "." + std::string(key.str()),
                       "unknown key (an endpoint table knows: " + knows + ")");
    }
  }

  [[noreturn]] void failAt(const toml::node& node, const std::string& key,
                           const std::string& what) const {
    throw ParseError(source_, node.source().begin.line, field_ + "." + key, what);
  }

  [[noreturn]] void failTable(const std::string& key, const std::string& what) const {
    throw ParseError(source_, table_.source().begin.line, field_ + "." + key, what);
  }

 private:
  const toml::table& table_;
  const std::string& source_;
  const std::string& field_;
  std::set<std::string> known_;
};

}  // namespace

EndpointConfig readEndpointConfig(const toml::table& table, const std::string& source,
                                  const std::string& field, const std::filesystem::path& baseDir) {
  TableReader reader(table, source, field);
  EndpointConfig config;
  config.url = reader.text("endpoint", true);
  try {
    config.url = parseEndpointUrl(config.url).text;
  } catch (const UsageError& error) {
    reader.failAt(*table.get("endpoint"), "endpoint", error.what());
  }
  config.modelName = reader.text("name", true);
  std::filesystem::path tokenizer(reader.text("tokenizer", true));
  config.tokenizer = (tokenizer.is_absolute() ? tokenizer : baseDir / tokenizer).lexically_normal();
  config.apiKeyEnv = reader.text("api_key_env", false);
  if (const toml::node* node = table.get("api_key_env");
      node != nullptr && config.apiKeyEnv.find_first_of("=$ \t\n") != std::string::npos) {
    reader.failAt(*node, "api_key_env", "must be the name of an environment variable, not a key");
  }
  reader.real("timeout", config.requestTimeoutSeconds, 0.001, 86400);
  reader.real("connect_timeout", config.connectTimeoutSeconds, 0.001, 3600);
  reader.integer("max_in_flight", config.maxInFlight, 1, 4096);
  reader.integer("max_choices_per_request", config.maxChoicesPerRequest, 1, 64);
  reader.integer("prompts_per_request", config.promptsPerRequest, 0, 256);
  reader.integer("max_attempts", config.maxAttempts, 1, 100);
  reader.real("first_backoff", config.firstBackoffSeconds, 0, 3600);
  reader.real("max_backoff", config.maxBackoffSeconds, 0, 3600);
  reader.finish();
  return config;
}


}  // namespace astro::endpoint
