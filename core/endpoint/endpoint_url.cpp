// Splitting an endpoint's base URL (endpoint_url.h).
#include "core/endpoint/endpoint_url.h"

#include <algorithm>
#include <cctype>

#include "core/base/error.h"

namespace astro::endpoint {

EndpointUrl parseEndpointUrl(const std::string& url) {
  auto fail = [&](const std::string& what) -> EndpointUrl {
    throw UsageError("endpoint URL '" + url + "': " + what);
  };
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; })) {
    return fail("must not contain spaces or control characters");
  }
  std::string scheme;
  for (const char* candidate : {"http://", "https://"}) {
    if (url.rfind(candidate, 0) == 0) scheme = candidate;
  }
  if (scheme.empty()) return fail("must start with http:// or https:// (e.g. http://host:8000/v1)");
  if (url.find_first_of("?#") != std::string::npos)
    return fail("must not have a query or fragment");
  std::string rest = url.substr(scheme.size());
  std::size_t slash = rest.find('/');
  std::string hostPort = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (hostPort.empty() || hostPort.front() == ':') return fail("has no host");
  if (hostPort.find('@') != std::string::npos) {
    return fail("must not hold credentials (name the key's variable in api_key_env)");
  }
  std::size_t colon = hostPort.rfind(':');
  std::size_t bracket = hostPort.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    std::string port = hostPort.substr(colon + 1);
    bool digits =
        !port.empty() && port.size() <= 5 &&
        std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return fail("the port must be a number 1-65535");
    }
  }
  EndpointUrl result;
  result.origin = scheme + hostPort;
  result.basePath = path;
  result.text = result.origin + path;
  return result;
}

}  // namespace astro::endpoint
