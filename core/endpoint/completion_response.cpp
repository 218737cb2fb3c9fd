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

// One choice: ids from the logprobs' entries, else token_ids, else by encoding the text.
model::Generation parseChoice(const json& choice, const std::string& where,
                              const ResponseContext& context) {
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
    throw ResponseFormatError(where + " has neither token ids nor text");
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

// The choice's place: its "index" when it has one (servers may list choices in the order they
// finished), else its place in the array.
std::size_t choiceIndex(const json& choice, std::size_t position, std::size_t choices) {
  auto found = choice.find("index");
  if (found == choice.end()) return position;
  if (!found->is_number_integer() || found->get<std::int64_t>() < 0 ||
      found->get<std::int64_t>() >= static_cast<std::int64_t>(choices)) {
    throw ResponseFormatError("choices[" + std::to_string(position) + "].index is " +
                              found->dump() + " (expected 0 to " + std::to_string(choices - 1) +
                              ")");
  }
  return static_cast<std::size_t>(found->get<std::int64_t>());
}

}  // namespace

std::vector<model::Generation> parseCompletionResponse(std::string_view body,
                                                       const ResponseContext& context,
                                                       std::size_t choices) {
  json response = json::parse(body, nullptr, false);
  if (response.is_discarded()) {
    throw ResponseFormatError("the body is not JSON: " + serverErrorMessage(body));
  }
  if (!response.is_object() || !response.contains("choices") || !response["choices"].is_array() ||
      response["choices"].empty()) {
    throw ResponseFormatError("the body has no choices: " + serverErrorMessage(body));
  }
  const json& list = response["choices"];
  if (list.size() != choices) {
    throw ResponseFormatError("the body has " + std::to_string(list.size()) + " choices for n = " +
                              std::to_string(choices));
  }
  std::vector<model::Generation> generations(choices);
  std::vector<bool> seen(choices, false);
  for (std::size_t position = 0; position < choices; ++position) {
    const std::string where = "choices[" + std::to_string(position) + "]";
    if (!list[position].is_object()) throw ResponseFormatError(where + " is not an object");
    std::size_t index = choiceIndex(list[position], position, choices);
    if (seen[index]) {
      throw ResponseFormatError("two choices have index " + std::to_string(index));
    }
    seen[index] = true;
    generations[index] = parseChoice(list[position], where, context);
  }
  return generations;
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
