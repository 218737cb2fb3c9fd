// An endpoint given in a TOML config: `model = { endpoint = "http://...", name = ..., tokenizer =
// ... }` in a pipeline stage or a search job (docs/serving.md). Apart from endpoint_config.h so
// the headers that carry an EndpointConfig do not pull in toml++.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>

#include "core/endpoint/endpoint_config.h"

namespace astro::endpoint {

// Reads `model = { endpoint = "http://...", name = "...", tokenizer = "path",
// api_key_env = "VLLM_KEY", timeout = 600, connect_timeout = 10, max_in_flight = 32,
// max_attempts = 6, first_backoff = 0.5, max_backoff = 30 }`. `field` names the table in messages
// ("search.model"); a relative tokenizer path is relative to `baseDir` (the config file's folder).
// Throws ParseError "<source>:<line>: field '<field>.<key>': ..." for a missing, ill-typed,
// out-of-range or unknown key.
EndpointConfig readEndpointConfig(const toml::table& table, const std::string& source,
                                  const std::string& field, const std::filesystem::path& baseDir);

}  // namespace astro::endpoint
