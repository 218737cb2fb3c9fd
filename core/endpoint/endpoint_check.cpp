// Checking an endpoint with GET /models (endpoint_check.h).
#include "core/endpoint/endpoint_check.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/endpoint/completion_response.h"
#include "core/endpoint/endpoint_config.h"
#include "core/endpoint/endpoint_connection.h"
#include "core/endpoint/endpoint_url.h"

namespace astro::endpoint {

namespace {

std::vector<std::string> modelIds(const std::string& body, const std::string& where) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("data") ||
      !parsed["data"].is_array()) {
    throw Error(where + ": the answer is not an OpenAI model list ({\"data\": [...]}): " +
                serverErrorMessage(body));
  }
  std::vector<std::string> ids;
  for (const nlohmann::json& model : parsed["data"]) {
    if (!model.is_object() || !model.contains("id") || !model["id"].is_string()) {
      throw Error(where + ": a model in the list has no \"id\"");
    }
    ids.push_back(model["id"].get<std::string>());
  }
  return ids;
}

}  // namespace

EndpointCheck checkEndpoint(const std::string& url, const EndpointCheckOptions& options) {
  EndpointUrl endpointUrl = parseEndpointUrl(url);
  EndpointConfig keyConfig{.url = endpointUrl.text, .apiKeyEnv = options.apiKeyEnv};
  EndpointConnection connection(endpointUrl, {.connectTimeoutSeconds = options.timeoutSeconds,
                                              .requestTimeoutSeconds = options.timeoutSeconds,
                                              .apiKey = readApiKey(keyConfig)});
  const std::string where = "endpoint " + endpointUrl.text + ": GET /models";
  EndpointCheck check{.url = endpointUrl.text};
  std::vector<double> times;
  for (int probe = 0; probe < std::max(1, options.probes); ++probe) {
    auto start = std::chrono::steady_clock::now();
    HttpExchange exchange = connection.get("/models");
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    if (!exchange.answered()) throw Error(where + ": " + exchange.transportError);
    if (exchange.status == 401 || exchange.status == 403) {
      throw Error(where + ": HTTP " + std::to_string(exchange.status) + ", the key was " +
                  (options.apiKeyEnv.empty() ? "missing (pass --api-key-env VAR)" : "refused") +
                  ": " + serverErrorMessage(exchange.body));
    }
    if (exchange.status != 200) {
      throw Error(where + ": HTTP " + std::to_string(exchange.status) + ": " +
                  serverErrorMessage(exchange.body));
    }
    check.models = modelIds(exchange.body, where);
  }
  std::sort(times.begin(), times.end());
  check.roundTripMs = times[times.size() / 2];
  return check;
}

}  // namespace astro::endpoint
