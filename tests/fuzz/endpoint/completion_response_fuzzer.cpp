// Fuzz target: the input bytes are a /v1/completions response body. Parsing may only succeed or
// throw astro::Error, with and without logprobs; serverErrorMessage never throws.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/error.h"
#include "core/endpoint/completion_response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(ASTRO_TINY_TOKENIZER);
  std::string_view body(reinterpret_cast<const char*>(data), size);
  for (bool wantLogprobs : {false, true}) {
    astro::endpoint::ResponseContext context{
        .tokenizer = &tokenizer, .stopIds = {557}, .wantLogprobs = wantLogprobs};
    try {
      astro::endpoint::parseCompletionResponse(body, context);
    } catch (const astro::Error&) {
      // A body that is not a usable completion is refused with a named error.
    }
  }
  astro::endpoint::serverErrorMessage(body);
  return 0;
}
