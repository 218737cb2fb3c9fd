// `astro endpoint check URL`: is an OpenAI-compatible server there, which models does it serve,
// and how long does a round trip to it take.
#pragma once

#include <string>
#include <vector>

namespace astro::endpoint {

struct EndpointCheckOptions {
  std::string apiKeyEnv;       // environment variable holding the key; empty: none
  double timeoutSeconds = 10;  // connect and response, per request
  int probes = 3;              // GET /models requests; the round trip is their median
};

struct EndpointCheck {
  std::string url;                  // normalized base URL
  std::vector<std::string> models;  // the served model ids, in the server's order
  double roundTripMs = 0;           // median over the probes
};

// GET {url}/models `probes` times. Throws UsageError for a malformed URL, astro::Error naming the
// URL when the server cannot be reached, refuses the key (401/403), answers another status, or
// sends a body that is not a model list.
EndpointCheck checkEndpoint(const std::string& url, const EndpointCheckOptions& options);

}  // namespace astro::endpoint
