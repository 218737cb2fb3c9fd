// HTTP through cpp-httplib (endpoint_connection.h). httplib.h stays in this file: Debian builds it
// as a shared library with TLS, zlib and brotli, whose flags change its class layouts.
#include "core/endpoint/endpoint_connection.h"

#include <httplib.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "core/base/error.h"

namespace astro::endpoint {

namespace {

std::chrono::microseconds toDuration(double seconds) {
  return std::chrono::microseconds(static_cast<std::int64_t>(std::llround(seconds * 1e6)));
}

std::string secondsText(double seconds) {
  std::ostringstream out;
  out << seconds << " s";
  return out.str();
}

}  // namespace

struct EndpointConnection::Impl {
  EndpointUrl url;
  ConnectionOptions options;
  httplib::Client client;

  Impl(const EndpointUrl& endpointUrl, const ConnectionOptions& connectionOptions)
      : url(endpointUrl), options(connectionOptions), client(endpointUrl.origin) {
    if (!client.is_valid()) {
      throw UsageError("endpoint " + url.text + ": this build cannot connect to " + url.origin);
    }
    client.set_keep_alive(true);
    // Headers and body go out as separate writes; without this, Nagle holds the body until the
    // server acknowledges the headers, which a delayed ACK puts off by up to 40 ms a request.
    client.set_tcp_nodelay(true);
    client.set_connection_timeout(toDuration(options.connectTimeoutSeconds));
    client.set_read_timeout(toDuration(options.requestTimeoutSeconds));
    client.set_write_timeout(toDuration(options.requestTimeoutSeconds));
    if (options.apiKey) client.set_bearer_token_auth(*options.apiKey);
  }

  HttpExchange exchange(const httplib::Result& result) const {
    HttpExchange exchange;
    if (!result) {
      exchange.transportError = describe(result.error());
      return exchange;
    }
    exchange.status = result->status;
    exchange.body = result->body;
    if (result->has_header("Retry-After")) {
      exchange.retryAfterSeconds = parseRetryAfter(result->get_header_value("Retry-After"));
    }
    return exchange;
  }

  std::string describe(httplib::Error error) const {
    switch (error) {
      case httplib::Error::Connection:
        return "cannot connect (refused, unreachable or unknown host)";
      case httplib::Error::ConnectionTimeout:
        return "connecting timed out after " + secondsText(options.connectTimeoutSeconds);
      case httplib::Error::Read:
        return "no complete response (the server closed the connection or sent nothing for " +
               secondsText(options.requestTimeoutSeconds) + ")";
      case httplib::Error::Write:
        return "sending the request failed (connection dropped or timed out)";
      case httplib::Error::SSLConnection:
      case httplib::Error::SSLLoadingCerts:
      case httplib::Error::SSLServerVerification:
        return "TLS failed: " + httplib::to_string(error);
      default:
        return "HTTP client error: " + httplib::to_string(error);
    }
  }
};

EndpointConnection::EndpointConnection(const EndpointUrl& url, const ConnectionOptions& options)
    : impl_(std::make_unique<Impl>(url, options)) {}

EndpointConnection::~EndpointConnection() = default;

HttpExchange EndpointConnection::post(const std::string& route, const std::string& jsonBody) {
  return impl_->exchange(impl_->client.Post(impl_->url.path(route), jsonBody, "application/json"));
}

HttpExchange EndpointConnection::get(const std::string& route) {
  return impl_->exchange(impl_->client.Get(impl_->url.path(route)));
}

std::optional<double> parseRetryAfter(const std::string& value) {
  std::size_t used = 0;
  double seconds = 0;
  try {
    seconds = std::stod(value, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  while (used < value.size() && std::isspace(static_cast<unsigned char>(value[used]))) ++used;
  if (used != value.size() || !std::isfinite(seconds) || seconds < 0) return std::nullopt;
  return seconds;
}

}  // namespace astro::endpoint
