// Parsing /v1/completions responses (completion_response.h).
#include "core/endpoint/completion_response.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

namespace astro::endpoint {

namespace {

using nlohmann::json;

// "token_id:123" -> 123; nullopt for anything else (a server that sent token text instead).
std::optional<std::int32_t> tokenIdEntry(const json& entry) {
  if (!entry.is_string()) return std::nullopt;
  const std::string& text = entry.get_ref<const std::string&>();
  constexpr std::string_view kPrefix = "token_id:";
  if (text.rfind(kPrefix, 0) != 0) return std::nullopt;
  std::int32_t id = 0;
  const char* begin = text.data() + kPrefix.size();
  const char* end = text.data() + text.size();
  auto [next, error] = std::from_chars(begin, end, id);
  if (error != std::errc() || next != end || begin == end || id < 0) return std::nullopt;
  return id;
}

std::optional<std::vector<std::int32_t>> idsFromLogprobTokens(const json& logprobs) {
  if (!logprobs.is_object() || !logprobs.contains("tokens") || !logprobs["tokens"].is_array()) {
    return std::nullopt;
  }
  std::vector<std::int32_t> ids;
  for (const json& entry : logprobs["tokens"]) {
    auto id = tokenIdEntry(entry);
    if (!id) return std::nullopt;
    ids.push_back(*id);
  }
  return ids;
}

std::optional<std::vector<std::int32_t>> idsFromTokenIds(const json& choice) {
  auto found = choice.find("token_ids");
  if (found == choice.end() || !found->is_array()) return std::nullopt;
  std::vector<std::int32_t> ids;
  for (const json& entry : *found) {
    if (!entry.is_number_integer() || entry.get<std::int64_t>() < 0 ||
        entry.get<std::int64_t>() > std::numeric_limits<std::int32_t>::max()) {
      return std::nullopt;
    }
    ids.push_back(entry.get<std::int32_t>());
  }
  return ids;
}

std::optional<std::vector<float>> logprobValues(const json& logprobs) {
  if (!logprobs.is_object() || !logprobs.contains("token_logprobs") ||
      !logprobs["token_logprobs"].is_array()) {
    return std::nullopt;
  }
  std::vector<float> values;
  for (const json& entry : logprobs["token_logprobs"]) {
    if (!entry.is_number()) return std::nullopt;
    values.push_back(entry.get<float>());
  }
  return values;
}

model::FinishReason finishReason(const json& choice, const std::vector<std::int32_t>& ids,
                                 const ResponseContext& context) {
  auto found = choice.find("finish_reason");
  std::string reason = found != choice.end() && found->is_string() ? found->get<std::string>() : "";
  if (reason == "length") return model::FinishReason::kLength;
  if (reason == "stop") {
    bool stopToken = !ids.empty() && std::find(context.stopIds.begin(), context.stopIds.end(),
                                               ids.back()) != context.stopIds.end();
    return stopToken ? model::FinishReason::kStopToken : model::FinishReason::kStopString;
  }
  throw ResponseFormatError("finish_reason is " +
                            (found == choice.end() ? std::string("missing") : found->dump()) +
                            " (expected \"stop\" or \"length\")");
}

}  // namespace

model::Generation parseCompletionResponse(std::string_view body, const ResponseContext& context) {
  json response = json::parse(body, nullptr, false);
  if (response.is_discarded()) {
    throw ResponseFormatError("the body is not JSON: " + serverErrorMessage(body));
  }
  if (!response.is_object() || !response.contains("choices") || !response["choices"].is_array() ||
      response["choices"].empty() || !response["choices"][0].is_object()) {
    throw ResponseFormatError("the body has no choices: " + serverErrorMessage(body));
  }
  const json& choice = response["choices"][0];
  const json logprobs = choice.contains("logprobs") ? choice["logprobs"] : json();
  model::Generation generation;
  std::optional<std::vector<float>> values = logprobValues(logprobs);
  bool fromText = false;
  if (auto ids = idsFromLogprobTokens(logprobs)) {
    generation.ids = std::move(*ids);
  } else if (auto tokenIds = idsFromTokenIds(choice)) {
    generation.ids = std::move(*tokenIds);
  } else if (choice.contains("text") && choice["text"].is_string() &&
             context.tokenizer != nullptr) {
    // The text may not re-encode to the sampled ids; only a matching count lets logprobs through.
    generation.ids = context.tokenizer->encode(choice["text"].get<std::string>());
    fromText = true;
  } else {
    throw ResponseFormatError("choices[0] has neither token ids nor text");
  }
  if (context.wantLogprobs) {
    if (!values || values->size() != generation.ids.size()) {
      throw Error(fromText ? "the server returned no token ids (return_tokens_as_token_ids is not "
                             "supported, and the text does not re-encode to as many tokens as "
                             "it has logprobs)"
                           : "the server returned no logprobs for the generated tokens");
    }
    generation.logprobs = std::move(*values);
  }
  generation.finishReason = finishReason(choice, generation.ids, context);
  return generation;
}

std::string serverErrorMessage(std::string_view body) {
  std::string message;
  json parsed = json::parse(body, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_object()) {
    const json* error = parsed.contains("error") ? &parsed["error"] : nullptr;
    if (error != nullptr && error->is_object() && error->contains("message") &&
        (*error)["message"].is_string()) {
      message = (*error)["message"].get<std::string>();
    } else if (error != nullptr && error->is_string()) {
      message = error->get<std::string>();
    } else if (parsed.contains("message") && parsed["message"].is_string()) {
      message = parsed["message"].get<std::string>();
    } else if (parsed.contains("detail") && parsed["detail"].is_string()) {
      message = parsed["detail"].get<std::string>();
    }
  }
  if (message.empty()) message = std::string(body);
  if (message.empty()) return "(empty body)";
  constexpr std::size_t kLimit = 300;
  if (message.size() > kLimit) message = message.substr(0, kLimit) + "...";
  for (char& c : message) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return message;
}

}  // namespace astro::endpoint
