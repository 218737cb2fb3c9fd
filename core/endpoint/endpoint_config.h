// Where a stage's model is served over HTTP: an OpenAI-compatible completions endpoint with the
// tokenizer its prompts are encoded with, limits for timeouts, concurrency and retries, and the
// name of the environment variable that holds its API key (the key itself is never stored).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace astro::endpoint {

struct EndpointConfig {
  std::string url;                  // base, e.g. "http://gpu-node:8000/v1" (no trailing '/')
  std::string modelName;            // the served model's id, sent as "model"
  std::filesystem::path tokenizer;  // folder with tokenizer.json: prompts travel as token ids
  std::string apiKeyEnv;  // environment variable holding the key; empty: no Authorization header
  double requestTimeoutSeconds = 600;  // longest silence from the server within one request
  double connectTimeoutSeconds = 10;
  int maxInFlight = 32;              // concurrent requests (one keep-alive connection each)
  // Consecutive rows with one prompt and consecutive seeds (the k samples of one state, see
  // model::copySeed) travel as one request with n up to this many; 1: one request per row, for
  // servers that refuse n > 1 (llama.cpp's server).
  int maxChoicesPerRequest = 16;
  // Prompts one request carries (OpenAI's prompt array; each with n = its copies). 0 (auto):
  // every prompt of a call that fits when the server is `astro serve` (its /models says
  // owned_by "astro"), which then seeds each prompt from the `seeds` extension and decodes them
  // all in one batch; 1 elsewhere. A value above 1 for another server sends the first prompt's
  // seed only, so its rows are no longer seeded as the built-in engine seeds them.
  int promptsPerRequest = 0;
  int maxAttempts = 6;               // per request, the first included
  double firstBackoffSeconds = 0.5;  // doubled after each failed attempt, with jitter
  double maxBackoffSeconds = 30;
};

// For logs (the stages print it): every setting, the key only as its variable's name.
std::string describeEndpointConfig(const EndpointConfig& config);

// The API key from $apiKeyEnv (nullopt when apiKeyEnv is empty). Throws astro::Error naming the
// variable and the endpoint when it is unset or empty.
std::optional<std::string> readApiKey(const EndpointConfig& config);

}  // namespace astro::endpoint
