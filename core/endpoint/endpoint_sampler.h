// An OpenAI-compatible /v1/completions server (vLLM, SGLang, llama.cpp server, `astro serve`) as a
// model::Sampler: one request per prompt row with that row's seed, or per run of rows that repeat
// one prompt with consecutive seeds (n = their count), or, for `astro serve`, per group of such
// runs; many in flight at once, with timeouts and retries, results in prompt order (issue #20,
// docs/serving.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/endpoint/endpoint_config.h"
#include "core/model/sampler.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::endpoint {

// Totals since construction, for logs and benchmarks.
struct EndpointCounters {
  std::int64_t requests = 0;       // HTTP requests sent, retries included
  std::int64_t retries = 0;        // requests after a failed attempt
  std::int64_t failedCalls = 0;    // generate calls that threw after their retries
  std::int64_t bytesSent = 0;      // request bodies
  std::int64_t bytesReceived = 0;  // response bodies
};

class EndpointSampler final : public model::Sampler {
 public:
  // Loads the tokenizer from config.tokenizer (a folder with tokenizer.json, or the file) and
  // reads the API key from $apiKeyEnv now; throws astro::Error naming the endpoint when either
  // fails, and UsageError for a malformed URL.
  explicit EndpointSampler(EndpointConfig config);
  EndpointSampler(EndpointConfig config, tokenizer::Tokenizer tokenizer);
  ~EndpointSampler() override;
  EndpointSampler(const EndpointSampler&) = delete;
  EndpointSampler& operator=(const EndpointSampler&) = delete;

  // One POST {url}/completions per prompt (n = 1, the row's seed and token limit), or per run
  // of up to config.maxChoicesPerRequest consecutive rows with the same prompt and limit and
  // seeds s, s + 1, ... (n = the run's length, seed s), up to config.maxInFlight at once. Against
  // `astro serve` (or with config.promptsPerRequest above 1) consecutive runs with the same n and
  // limit share one request as a prompt array, each prompt with its seed (`seeds`), so the server
  // decodes a whole call as one batch, as LanguageModel::generate does in-process. The
  // first request that fails for good stops the others and is thrown: astro::Error
  // "endpoint URL: POST /completions failed after N attempts: <cause>".
  // Thread-safe; concurrent calls share the pool of connections.
  std::vector<model::Generation> generate(const std::vector<std::vector<std::int32_t>>& prompts,
                                          const model::GenerationOptions& options) const override;

  std::string describe() const;  // "endpoint URL (NAME)"
  EndpointCounters counters() const;
  const EndpointConfig& config() const;
  const tokenizer::Tokenizer& tokenizer() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace astro::endpoint
