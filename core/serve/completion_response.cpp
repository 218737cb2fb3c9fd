// OpenAI-shaped response bodies and stream chunks (completion_response.h).
#include "core/serve/completion_response.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "core/serve/api_error.h"
#include "core/serve/completion_plan.h"
#include "core/serve/stop_text.h"

namespace astro::serve {

namespace {

using Json = nlohmann::ordered_json;

// Generated text can end inside a UTF-8 character; such bytes become U+FFFD instead of an error.
std::string dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string tokenLabel(const ResponseContext& context, int32_t id) {
  if (context.returnTokensAsTokenIds) return "token_id:" + std::to_string(id);
  std::vector<int32_t> one{id};
  return decodeGenerated(context.tokenizer, one, false);
}

// Completions' {tokens, token_logprobs, top_logprobs, text_offset}; chat's {content: [...]}.
Json logprobsJson(const ResponseContext& context, std::span<const int32_t> ids,
                  std::span<const float> logprobs, int64_t textOffset) {
  if (context.endpoint == Endpoint::kChatCompletions) {
    Json content = Json::array();
    for (std::size_t i = 0; i < ids.size(); ++i) {
      std::string token = tokenLabel(context, ids[i]);
      Json bytes = Json::array();
      for (unsigned char byte : token) bytes.push_back(int(byte));
      content.push_back({{"token", token},
                         {"logprob", i < logprobs.size() ? logprobs[i] : 0.0f},
                         {"bytes", bytes},
                         {"top_logprobs", Json::array()}});
    }
    return {{"content", content}};
  }
  Json tokens = Json::array(), tokenLogprobs = Json::array(), offsets = Json::array();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    tokens.push_back(tokenLabel(context, ids[i]));
    tokenLogprobs.push_back(i < logprobs.size() ? logprobs[i] : 0.0f);
    offsets.push_back(textOffset);
    textOffset += int64_t(decodeGenerated(context.tokenizer, ids.subspan(i, 1), true).size());
  }
  return {{"tokens", tokens},
          {"token_logprobs", tokenLogprobs},
          {"top_logprobs", nullptr},
          {"text_offset", offsets}};
}

Json usageJson(Usage usage) {
  return {{"prompt_tokens", usage.promptTokens},
          {"completion_tokens", usage.completionTokens},
          {"total_tokens", usage.promptTokens + usage.completionTokens}};
}

Json envelope(const ResponseContext& context, bool chunk) {
  bool chat = context.endpoint == Endpoint::kChatCompletions;
  std::string object =
      chat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion";
  return {{"id", context.id},
          {"object", object},
          {"created", context.created},
          {"model", context.model},
          {"choices", Json::array()}};
}

std::string randomHex(std::size_t digits) {
  static const char* kHex = "0123456789abcdef";
  uint64_t bits = randomSeed();
  std::string text;
  for (std::size_t i = 0; i < digits; ++i) {
    if (i % 15 == 0) bits = randomSeed();
    text += kHex[bits & 15];
    bits >>= 4;
  }
  return text;
}

}  // namespace

ResponseContext ResponseContext::forRequest(const CompletionRequest& request,
                                            const tokenizer::Tokenizer& tokenizer,
                                            std::string model) {
  bool chat = request.endpoint == Endpoint::kChatCompletions;
  return {.endpoint = request.endpoint,
          .id = (chat ? "chatcmpl-" : "cmpl-") + randomHex(24),
          .created = int64_t(std::time(nullptr)),
          .model = std::move(model),
          .tokenizer = tokenizer,
          .logprobs = request.logprobs,
          .returnTokensAsTokenIds = request.returnTokensAsTokenIds,
          .stop = request.stop,
          .includeStopStrInOutput = request.includeStopStrInOutput,
          .includeUsage = request.includeUsage};
}

std::string decodeGenerated(const tokenizer::Tokenizer& tokenizer, std::span<const int32_t> ids,
                            bool skipSpecialTokens) {
  try {
    return tokenizer.decode(ids, skipSpecialTokens);
  } catch (const Error&) {  // an unknown id: decode the others one by one
    std::string text;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      try {
        text += tokenizer.decode(ids.subspan(i, 1), skipSpecialTokens);
      } catch (const Error&) {
      }
    }
    return text;
  }
}

std::string choiceText(const ResponseContext& context, std::span<const int32_t> ids,
                       bool* stopFound) {
  std::string text = decodeGenerated(context.tokenizer, ids, /*skipSpecialTokens=*/true);
  StopCut cut = cutAtStop(text, context.stop, context.includeStopStrInOutput);
  if (stopFound) *stopFound = cut.found;
  text.resize(cut.end);
  return text;
}

std::string finishReasonText(model::FinishReason reason, bool stopStringFound) {
  return reason == model::FinishReason::kLength && !stopStringFound ? "length" : "stop";
}

std::string responseBody(const ResponseContext& context, const std::vector<FinishedChoice>& choices,
                         Usage usage) {
  Json body = envelope(context, false);
  for (std::size_t index = 0; index < choices.size(); ++index) {
    const FinishedChoice& choice = choices[index];
    bool stopFound = false;
    std::string text = choiceText(context, choice.ids, &stopFound);
    Json logprobs =
        context.logprobs ? logprobsJson(context, choice.ids, choice.logprobs, 0) : Json(nullptr);
    Json entry = {{"index", index}};
    if (context.endpoint == Endpoint::kChatCompletions) {
      entry["message"] = {{"role", "assistant"}, {"content", text}};
    } else {
      entry["text"] = text;
    }
    entry["logprobs"] = logprobs;
    entry["finish_reason"] = finishReasonText(choice.reason, stopFound);
    body["choices"].push_back(entry);
  }
  body["usage"] = usageJson(usage);
  return dump(body);
}

std::string chunkEvent(const ResponseContext& context, const ChunkPiece& piece) {
  Json chunk = envelope(context, true);
  Json entry = {{"index", piece.index}};
  if (context.endpoint == Endpoint::kChatCompletions) {
    Json delta = Json::object();
    if (piece.firstDelta) delta["role"] = "assistant";
    if (piece.firstDelta || !piece.text.empty()) delta["content"] = piece.text;
    entry["delta"] = delta;
  } else {
    entry["text"] = piece.text;
  }
  entry["logprobs"] = context.logprobs && !piece.ids.empty()
                          ? logprobsJson(context, piece.ids, piece.logprobs, piece.textOffset)
                          : Json(nullptr);
  entry["finish_reason"] = piece.finishReason ? Json(*piece.finishReason) : Json(nullptr);
  chunk["choices"].push_back(entry);
  if (context.includeUsage) chunk["usage"] = nullptr;
  return "data: " + dump(chunk) + "\n\n";
}

std::string usageEvent(const ResponseContext& context, Usage usage) {
  Json chunk = envelope(context, true);
  chunk["usage"] = usageJson(usage);
  return "data: " + dump(chunk) + "\n\n";
}

std::string errorEvent(const std::string& message) {
  return "data: " + errorBody(message, "server_error") + "\n\n";
}

}  // namespace astro::serve
