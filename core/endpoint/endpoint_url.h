// The base URL of an OpenAI-compatible server ("http://gpu-node:8000/v1") split the way an HTTP
// client needs it: scheme, host and port to connect to, and the path every request starts with.
#pragma once

#include <string>

namespace astro::endpoint {

struct EndpointUrl {
  std::string text;      // as given, without a trailing '/': "http://gpu-node:8000/v1"
  std::string origin;    // "http://gpu-node:8000"
  std::string basePath;  // "/v1" ("" for a server at the root)
  std::string path(const std::string& route) const { return basePath + route; }
};

// Throws UsageError naming the URL when it is not http(s)://host[:port][/path] (no query, no
// fragment, no spaces or control characters).
EndpointUrl parseEndpointUrl(const std::string& url);

}  // namespace astro::endpoint
