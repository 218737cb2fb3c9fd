// Fuzz target for what clients send `astro serve`: the first byte picks the route
// (/v1/completions or /v1/chat/completions), the rest is the POST body. A parsed request is then
// planned (tokenized, checked against a 256-token context, seeded) with the world tokenizer, and
// its stop strings cut and stream its first prompt's text. A crash, sanitizer report or hang is a
// finding; ApiError is the expected answer to a bad body.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/serve/api_error.h"
#include "core/serve/completion_plan.h"
#include "core/serve/completion_request.h"
#include "core/serve/stop_text.h"

namespace {

const astro::tokenizer::Tokenizer& worldTokenizer() {
  static const auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(
      std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/world");
  return tokenizer;
}

void exercise(const astro::serve::CompletionRequest& request) {
  std::string text = request.prompts.empty()         ? std::string()
                     : request.prompts[0].isTokenIds ? std::string()
                                                     : request.prompts[0].text;
  (void)astro::serve::cutAtStop(text, request.stop, request.includeStopStrInOutput);
  astro::serve::StreamedText stream(request.stop, request.includeStopStrInOutput);
  std::string streamed;
  for (std::size_t end = 0; end <= text.size(); end += 3) {
    streamed += stream.advance(std::string_view(text).substr(0, end), false);
  }
  streamed += stream.advance(text, true);
  if (text.size() > 4096) return;  // planning tokenizes: keep each input fast
  try {
    (void)astro::serve::planCompletion(request, worldTokenizer(),
                                       {.contextTokens = 256, .vocabSize = 1364}, 7);
  } catch (const astro::serve::ApiError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto endpoint =
      data[0] % 2 ? astro::serve::Endpoint::kChatCompletions : astro::serve::Endpoint::kCompletions;
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    exercise(astro::serve::parseCompletionRequest(body, endpoint));
  } catch (const astro::serve::ApiError&) {
  }
  return 0;
}
