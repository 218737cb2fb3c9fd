// The JSON `astro serve` answers with, in OpenAI's shapes: a whole text_completion or
// chat.completion, and the server-sent events of a streamed one (text_completion chunks, or
// chat.completion.chunk with the role in each choice's first delta). Text is the tokenizer's
// decode without special tokens, cut at the first stop string. Torch-free.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model/generation.h"
#include "core/serve/completion_request.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::serve {

// What every body or chunk of one response repeats, and how its choices are written.
struct ResponseContext {
  Endpoint endpoint = Endpoint::kCompletions;
  std::string id;  // "cmpl-..." or "chatcmpl-..."
  int64_t created = 0;
  std::string model;
  tokenizer::Tokenizer tokenizer;
  bool logprobs = false;
  bool returnTokensAsTokenIds = false;
  std::vector<std::string> stop;
  bool includeStopStrInOutput = false;
  bool includeUsage = false;  // streaming: usage: null in chunks, one usage chunk at the end

  static ResponseContext forRequest(const CompletionRequest& request,
                                    const tokenizer::Tokenizer& tokenizer, std::string model);
};

struct Usage {
  int64_t promptTokens = 0;
  int64_t completionTokens = 0;
};

struct FinishedChoice {
  std::vector<int32_t> ids;
  std::vector<float> logprobs;  // one per id when asked for
  model::FinishReason reason = model::FinishReason::kLength;
};

// Generated ids as text. Ids the tokenizer does not know (a model whose vocabulary is padded past
// its tokenizer's, as Qwen's is, can draw them) add no text instead of failing the request.
std::string decodeGenerated(const tokenizer::Tokenizer& tokenizer, std::span<const int32_t> ids,
                            bool skipSpecialTokens);

// The text a client gets for generated ids: decoded without special tokens, cut at a stop
// string; `stopFound` tells whether one was.
std::string choiceText(const ResponseContext& context, std::span<const int32_t> ids,
                       bool* stopFound = nullptr);

// "stop" when a stop token or string ended it, else "length".
std::string finishReasonText(model::FinishReason reason, bool stopStringFound);

// The whole non-streamed response body.
std::string responseBody(const ResponseContext& context, const std::vector<FinishedChoice>& choices,
                         Usage usage);

// One chunk event "data: {...}\n\n" for choice `index`: its new text, the new tokens' logprobs
// (ids/logprobs, with text offsets from `textOffset`), and its finish reason in the last one.
// `firstDelta` adds the role to a chat delta.
struct ChunkPiece {
  int64_t index = 0;
  std::string text;
  std::span<const int32_t> ids;
  std::span<const float> logprobs;
  int64_t textOffset = 0;
  std::optional<std::string> finishReason;
  bool firstDelta = false;
};
std::string chunkEvent(const ResponseContext& context, const ChunkPiece& piece);
std::string usageEvent(const ResponseContext& context, Usage usage);
std::string errorEvent(const std::string& message);
inline constexpr const char* kDoneEvent = "data: [DONE]\n\n";

}  // namespace astro::serve
