// Describing endpoint configs and reading their API keys (endpoint_config.h).
#include "core/endpoint/endpoint_config.h"

#include <cstdlib>
#include <sstream>

#include "core/base/error.h"

namespace astro::endpoint {

namespace {

std::string formatSeconds(double seconds) {
  std::ostringstream out;
  out << seconds << " s";
  return out.str();
}

}  // namespace

std::string describeEndpointConfig(const EndpointConfig& config) {
  std::string text = "endpoint " + config.url + " (" + config.modelName + "), tokenizer " +
                     config.tokenizer.string() + ", timeout " +
                     formatSeconds(config.requestTimeoutSeconds) + ", connect timeout " +
                     formatSeconds(config.connectTimeoutSeconds) + ", " +
                     std::to_string(config.maxInFlight) + " in flight, n up to " +
                     std::to_string(config.maxChoicesPerRequest) + " per request, " +
                     (config.promptsPerRequest == 0
                          ? std::string("prompts per request auto")
                          : std::to_string(config.promptsPerRequest) + " prompts per request") +
                     ", " +
                     std::to_string(config.maxAttempts) + " attempts";
  text += config.apiKeyEnv.empty() ? ", no API key" : ", API key from $" + config.apiKeyEnv;
  return text;
}

std::optional<std::string> readApiKey(const EndpointConfig& config) {
  if (config.apiKeyEnv.empty()) return std::nullopt;
  const char* key = std::getenv(config.apiKeyEnv.c_str());
  if (key == nullptr || *key == '\0') {
    throw Error("endpoint " + config.url + ": the API key variable $" + config.apiKeyEnv +
                " is not set in this environment");
  }
  return std::string(key);
}

}  // namespace astro::endpoint
