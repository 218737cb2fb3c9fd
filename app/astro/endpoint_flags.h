// `--endpoint URL --served-model NAME [--api-key-env VAR] [--endpoint-timeout S]
// [--max-in-flight N]` for the commands that only sample (astro search, astro evaluate): the
// policy is then an OpenAI-compatible server (docs/serving.md) and --tokenizer names the folder
// whose tokenizer.json encodes the prompts.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "core/endpoint/endpoint_config.h"

namespace astro::cli {

struct EndpointFlags {
  std::string url;
  std::string servedModel;
  std::string apiKeyEnv;
  double timeoutSeconds = 600;
  int maxInFlight = 32;
};

void addEndpointFlags(CLI::App* command, EndpointFlags& flags);

// The endpoint the flags name (nullopt without --endpoint), its prompts encoded with the
// tokenizer in `tokenizerFolder`. Throws UsageError for a malformed URL, or --endpoint without
// --served-model or a tokenizer folder.
std::optional<endpoint::EndpointConfig> endpointFromFlags(
    const EndpointFlags& flags, const std::filesystem::path& tokenizerFolder);

}  // namespace astro::cli
