// Reading a /v1/completions response into one model::Generation per choice (in the order of their
// "index"): token ids from the logprobs' "token_id:N" entries (return_tokens_as_token_ids), else
// from the choice's token_ids, else by encoding the text; logprobs, and the finish reason in the
// engine's terms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/model/generation.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::endpoint {

// The body is not a completion response (not JSON, no choices, an unknown finish reason): worth
// another attempt, as a proxy or an overloaded server sends such bodies now and then.
class ResponseFormatError : public Error {
 public:
  using Error::Error;
};

struct ResponseContext {
  const tokenizer::Tokenizer* tokenizer = nullptr;  // for servers that send text only
  std::vector<std::int32_t> stopIds;                // a "stop" ending on one of these is kStopToken
  bool wantLogprobs = false;
};

// Throws ResponseFormatError as above or when the body does not hold exactly `choices` choices
// with distinct indices, and astro::Error when the server returned no token ids (text only, and
// logprobs were asked for but do not match its encoding) or no logprobs.
std::vector<model::Generation> parseCompletionResponse(std::string_view body,
                                                       const ResponseContext& context,
                                                       std::size_t choices = 1);

// The server's own words from an error body ({"error": {"message": ...}}, {"message": ...}), or
// the start of the body itself; one line, at most ~300 characters.
std::string serverErrorMessage(std::string_view body);

}  // namespace astro::endpoint
