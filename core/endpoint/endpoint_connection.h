// One keep-alive HTTP connection to an endpoint: sends a request and reports what came back (a
// status and body, or why nothing did) without judging it; retries live in endpoint_retry.h.
// Not thread-safe: each worker holds its own.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/endpoint/endpoint_url.h"

namespace astro::endpoint {

struct ConnectionOptions {
  double connectTimeoutSeconds = 10;
  double requestTimeoutSeconds = 600;  // longest wait for the server to send or accept a byte
  std::optional<std::string> apiKey;   // sent as "Authorization: Bearer <key>"
};

struct HttpExchange {
  int status = 0;              // 0: no response (see transportError)
  std::string transportError;  // "connection refused or unreachable", "timed out after 600 s", ...
  std::string body;
  std::optional<double> retryAfterSeconds;  // the Retry-After header, in seconds
  bool answered() const { return status != 0; }
};

class EndpointConnection {
 public:
  EndpointConnection(const EndpointUrl& url, const ConnectionOptions& options);
  ~EndpointConnection();
  EndpointConnection(const EndpointConnection&) = delete;
  EndpointConnection& operator=(const EndpointConnection&) = delete;

  // `route` follows the base path: post("/completions", body) goes to /v1/completions.
  HttpExchange post(const std::string& route, const std::string& jsonBody);
  HttpExchange get(const std::string& route);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Seconds from a Retry-After value ("3", "0.5"); nullopt for an HTTP date or anything else.
std::optional<double> parseRetryAfter(const std::string& value);

}  // namespace astro::endpoint
