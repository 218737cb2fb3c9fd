// `astro serve`'s HTTP front: an OpenAI-compatible server (GET /v1/models, POST /v1/completions
// and /v1/chat/completions, streamed or not, GET /health) over the continuous-batching
// DecodeEngine, whose context length and vocabulary bound the requests. Each connection
// has a thread of its own (a pool of httpThreads); the requests of all connections meet in the
// engine's batch. Errors come back in OpenAI's shape: 400 naming the field, 401 without the API
// key, 404 for unknown routes and models, 413 for bodies over the limit. cpp-httplib stays
// inside the .cpp files.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/model/decode_engine.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::serve {

struct CompletionServerOptions {
  std::string modelName;  // what /v1/models lists and requests may name
  std::string apiKey;  // empty: no key asked for
  std::size_t maxBodyBytes = std::size_t(8) << 20;
  // Connections served at once; a streaming client holds one for its whole response.
  int httpThreads = 64;
};

class CompletionServer {
 public:
  // Borrows `engine`, which must outlive the server.
  CompletionServer(model::DecodeEngine& engine, tokenizer::Tokenizer tokenizer,
                   CompletionServerOptions options);
  ~CompletionServer();
  CompletionServer(const CompletionServer&) = delete;
  CompletionServer& operator=(const CompletionServer&) = delete;

  // Binds and listens on host:port (port 0: a free one); returns the port. Throws astro::Error
  // naming the address when it cannot.
  int bind(const std::string& host, int port);
  // Serves connections until stop(); call once, after bind.
  void serve();
  // Thread-safe: serve() returns; streams in flight end and their engine requests are
  // cancelled, waiting non-streamed requests get 503.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace astro::serve
