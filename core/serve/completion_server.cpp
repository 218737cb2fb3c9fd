// The HTTP server of `astro serve` (completion_server.h): routes, API key, body limit and the
// error bodies of everything that never reaches a handler.
#include "core/serve/completion_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/serve/api_error.h"
#include "core/serve/detail/completion_handler.h"

namespace astro::serve {

namespace {

// httplib listens with a backlog of 5; 16 clients connecting at once would then wait for SYN
// retries (a second each). Re-listening on the bound socket widens the queue.
class WideBacklogServer : public httplib::Server {
 public:
  void widenBacklog() { ::listen(svr_sock_, SOMAXCONN); }
};

// Constant-time comparison: the time to refuse a key says nothing about how much of it matched.
bool sameKey(const std::string& given, const std::string& expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  }
  return difference == 0;
}

void setError(httplib::Response& response, int status, const std::string& message,
              const std::string& type, const std::string& code = {}) {
  response.status = status;
  response.set_content(errorBody(message, type, {}, code), "application/json");
}

}  // namespace

struct CompletionServer::Impl {
  Impl(model::DecodeEngine& engine, tokenizer::Tokenizer tokenizer,
       CompletionServerOptions options)
      : options(std::move(options)),
        handlerContext{engine, std::move(tokenizer), this->options.modelName,
                       ServeLimits{.contextTokens = engine.maxContextTokens(),
                                   .vocabSize = engine.vocabSize()},
                       stopping} {}

  void setUp();
  bool authorized(const httplib::Request& request) const;
  std::string modelsBody() const;

  CompletionServerOptions options;
  std::atomic<bool> stopping{false};
  detail::CompletionHandlerContext handlerContext;
  WideBacklogServer server;
  int64_t created = int64_t(std::time(nullptr));
};

bool CompletionServer::Impl::authorized(const httplib::Request& request) const {
  if (options.apiKey.empty()) return true;
  std::string header = request.get_header_value("Authorization");
  const std::string kBearer = "Bearer ";
  return header.starts_with(kBearer) && sameKey(header.substr(kBearer.size()), options.apiKey);
}

std::string CompletionServer::Impl::modelsBody() const {
  nlohmann::ordered_json model = {{"id", options.modelName},
                                  {"object", "model"},
                                  {"created", created},
                                  {"owned_by", "astro"},
                                  {"max_model_len", handlerContext.limits.contextTokens}};
  nlohmann::ordered_json body = {{"object", "list"}, {"data", {model}}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void CompletionServer::Impl::setUp() {
  int threads = options.httpThreads;
  // httplib's API takes ownership of a raw pointer here.
  server.new_task_queue = [threads] { return new httplib::ThreadPool(std::size_t(threads)); };
  server.set_payload_max_length(options.maxBodyBytes);
  server.set_tcp_nodelay(true);  // stream chunks are small; do not wait to fill packets
  // httplib closes a keep-alive connection after 5 requests by default; clients that keep a
  // connection per request slot (core/endpoint) would reconnect every fifth request.
  server.set_keep_alive_max_count(1000);

  server.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        if (!request.path.starts_with("/v1/") || authorized(request)) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        setError(response, 401,
                 "a valid API key is required: send the header 'Authorization: Bearer KEY'",
                 "invalid_request_error", "invalid_api_key");
        return httplib::Server::HandlerResponse::Handled;
      });
  server.Get("/health", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("{\"status\":\"ok\"}", "application/json");
  });
  server.Get("/v1/models", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(modelsBody(), "application/json");
  });
  server.Post("/v1/completions",
              [this](const httplib::Request& request, httplib::Response& response) {
                detail::handleCompletion(handlerContext, Endpoint::kCompletions, request, response);
              });
  server.Post(
      "/v1/chat/completions", [this](const httplib::Request& request, httplib::Response& response) {
        detail::handleCompletion(handlerContext, Endpoint::kChatCompletions, request, response);
      });

  // Statuses httplib sets itself (no route, body too large) get an OpenAI-shaped body too;
  // answers the handlers wrote are left alone.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (response.status == 404) {
          setError(response, 404,
                   "no route " + request.method + " " + request.path +
                       " (this server has GET /v1/models, POST /v1/completions, "
                       "POST /v1/chat/completions, GET /health)",
                   "invalid_request_error");
        } else if (response.status == 413) {
          setError(response, 413,
                   "the request body is over the server's limit of " +
                       std::to_string(options.maxBodyBytes) + " bytes",
                   "invalid_request_error");
        } else {
          setError(response, response.status, "HTTP status " + std::to_string(response.status),
                   response.status >= 500 ? "server_error" : "invalid_request_error");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr failure) {
        std::string message = "internal error";
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& error) {
          message = error.what();
        } catch (...) {
        }
        setError(response, 500, message, "server_error");
      });
}

CompletionServer::CompletionServer(model::DecodeEngine& engine, tokenizer::Tokenizer tokenizer,
                                   CompletionServerOptions options)
    : impl_(std::make_unique<Impl>(engine, std::move(tokenizer), std::move(options))) {
  if (impl_->options.httpThreads < 1) throw UsageError("the server needs at least one thread");
  impl_->setUp();
}

CompletionServer::~CompletionServer() { stop(); }

int CompletionServer::bind(const std::string& host, int port) {
  int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                        : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    throw Error("cannot listen on " + host + ":" + std::to_string(port) +
                " (address in use, or not an address of this host)");
  }
  impl_->server.widenBacklog();
  return bound;
}

void CompletionServer::serve() { impl_->server.listen_after_bind(); }

void CompletionServer::stop() {
  impl_->stopping = true;
  impl_->server.stop();
}

}  // namespace astro::serve
