// The endpoint flags of sampling commands (endpoint_flags.h).
#include "app/astro/endpoint_flags.h"

#include "core/base/error.h"
#include "core/endpoint/endpoint_url.h"

namespace astro::cli {

void addEndpointFlags(CLI::App* command, EndpointFlags& flags) {
  command->add_option("--endpoint", flags.url,
                      "Sample from this OpenAI-compatible server instead of --model, e.g. "
                      "http://gpu-node:8000/v1 (vLLM, SGLang, llama.cpp, astro serve); needs "
                      "--served-model and --tokenizer");
  command->add_option("--served-model", flags.servedModel,
                      "With --endpoint: the model id the server serves (astro endpoint check "
                      "URL lists them)");
  command->add_option("--api-key-env", flags.apiKeyEnv,
                      "With --endpoint: environment variable holding the API key");
  command
      ->add_option("--endpoint-timeout", flags.timeoutSeconds,
                   "With --endpoint: seconds a request may wait for the server")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--max-in-flight", flags.maxInFlight,
                   "With --endpoint: requests sent at once")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
}

std::optional<endpoint::EndpointConfig> endpointFromFlags(
    const EndpointFlags& flags, const std::filesystem::path& tokenizerFolder) {
  if (flags.url.empty()) return std::nullopt;
  if (flags.servedModel.empty()) {
    throw UsageError("--endpoint needs --served-model (the id `astro endpoint check " + flags.url +
                     "` lists)");
  }
  if (tokenizerFolder.empty()) {
    throw UsageError("--endpoint needs --tokenizer: the folder with the served model's "
                     "tokenizer.json (prompts are sent as token ids)");
  }
  endpoint::EndpointConfig config;
  config.url = endpoint::parseEndpointUrl(flags.url).text;  // UsageError naming a bad URL
  config.modelName = flags.servedModel;
  config.tokenizer = tokenizerFolder;
  config.apiKeyEnv = flags.apiKeyEnv;
  config.requestTimeoutSeconds = flags.timeoutSeconds;
  config.maxInFlight = flags.maxInFlight;
  return config;
}

}  // namespace astro::cli
