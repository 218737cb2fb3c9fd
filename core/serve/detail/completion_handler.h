// The completions routes' handler, between the HTTP server (completion_server.cpp) and the
// engine: parse, plan, submit, then answer with one body or a stream of events. Private to
// core/serve; httplib types are only forward-declared here.
#pragma once

#include <atomic>
#include <string>

#include "core/model/decode_engine.h"
#include "core/serve/completion_plan.h"
#include "core/serve/completion_request.h"
#include "core/tokenizer/tokenizer.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace astro::serve::detail {

struct CompletionHandlerContext {
  model::DecodeEngine& engine;
  tokenizer::Tokenizer tokenizer;
  std::string modelName;
  ServeLimits limits;  // the engine's
  const std::atomic<bool>& stopping;  // set when the server stops
};

// Answers a POST to /v1/completions or /v1/chat/completions; sets the error response itself.
void handleCompletion(const CompletionHandlerContext& context, Endpoint endpoint,
                      const httplib::Request& request, httplib::Response& response);

}  // namespace astro::serve::detail
