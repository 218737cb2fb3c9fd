// The body of a POST to /v1/completions or /v1/chat/completions, parsed and checked into one
// struct before anything is tokenized or queued. Unknown fields, wrong types and values out of
// range throw ApiError (400) naming the field, as OpenAI's API does. Torch-free; fuzzed by
// tests/fuzz/serve.
//
// Accepted fields (docs/serving.md lists them with their limits):
//   both:  model, max_tokens, temperature, top_p, n, stop, seed, stream, stream_options
//          {include_usage}, user (ignored), and vLLM's top_k, stop_token_ids, ignore_eos,
//          include_stop_str_in_output, return_tokens_as_token_ids. Sampling fields we do not
//          implement (presence_penalty, frequency_penalty, repetition_penalty, min_p, logit_bias,
//          best_of, echo, suffix, min_tokens, skip_special_tokens) are accepted only at the value
//          that changes nothing, so clients that always send them still work.
//   completions: prompt as a string, an array of token ids, or an array of strings or of
//          token-id arrays (several prompts; choice index = prompt index * n + j); logprobs 0 or 1
//          (the chosen token's log-probability; no alternatives, so 2..5 are refused);
//          `astro serve`'s extension `seeds`, one 64-bit seed per prompt.
//   chat:  messages [{role: system|developer|user|assistant, content: string or [{type: "text",
//          text}]}], max_completion_tokens, logprobs (bool), top_logprobs (0 only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/chat_format.h"

namespace astro::serve {

enum class Endpoint { kCompletions, kChatCompletions };

// One completions prompt as the client gave it: text to tokenize, or token ids used as they are.
struct PromptInput {
  bool isTokenIds = false;
  std::string text;
  std::vector<int32_t> ids;
};

inline constexpr int64_t kMaxChoicesPerPrompt = 64;  // n
inline constexpr int64_t kMaxChoices = 256;          // prompts * n
inline constexpr std::size_t kMaxStopStrings = 4;    // OpenAI's limit

struct CompletionRequest {
  Endpoint endpoint = Endpoint::kCompletions;
  std::string model;                             // "" when absent
  std::vector<PromptInput> prompts;              // completions: one or more
  std::vector<tokenizer::ChatMessage> messages;  // chat
  std::optional<int64_t> maxTokens;  // absent: 16 (completions) or the rest of the context (chat)
  double temperature = 1.0;          // OpenAI's default
  double topP = 1.0;
  int64_t topK = 0;  // 0: no limit (vLLM's -1 is read as 0)
  int64_t n = 1;
  std::vector<std::string> stop;
  std::vector<int32_t> stopTokenIds;
  // Choice j draws from seed + j (mod 2^64); any 64-bit integer, a negative one read as the
  // unsigned seed with the same bits. Absent: a random one.
  std::optional<uint64_t> seed;
  // Completions only (this server's extension): choice j of prompt p draws from seeds[p] + j,
  // and `seed` is then unused. One request can so carry rows whose seeds are unrelated (the
  // proposals of several search states); other servers ignore or refuse the field.
  std::vector<uint64_t> seeds;
  bool logprobs = false;  // return the chosen tokens' log-probabilities
  bool stream = false;
  bool includeUsage = false;  // stream_options.include_usage
  bool ignoreEos = false;
  bool includeStopStrInOutput = false;
  bool returnTokensAsTokenIds = false;  // logprobs tokens read "token_id:N"

  int64_t choiceCount() const {
    return (endpoint == Endpoint::kChatCompletions ? 1 : int64_t(prompts.size())) * n;
  }
};

// Throws ApiError (status 400) for malformed JSON, unknown fields, wrong types and values out of
// range; its param names the field.
CompletionRequest parseCompletionRequest(std::string_view body, Endpoint endpoint);

}  // namespace astro::serve
