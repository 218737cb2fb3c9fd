// Parsing and checking of completions and chat completions bodies (completion_request.h).
#include "core/serve/completion_request.h"

#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "core/serve/api_error.h"

namespace astro::serve {

namespace {

using Json = nlohmann::json;

constexpr int64_t kMaxTokensLimit = int64_t(1) << 20;

[[noreturn]] void fail(const std::string& param, const std::string& message) {
  throw ApiError(400, message, param);
}

// "a string", "the number 1.5": how a wrong value reads in a message (values shortened).
std::string describe(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return std::string(value.type_name()) + " " + text;
}

int64_t readInteger(const Json& value, const std::string& param, int64_t low, int64_t high) {
  bool inRange = false;
  if (value.is_number_unsigned()) {
    auto number = value.get<uint64_t>();
    inRange = number <= uint64_t(high) && (low <= 0 || number >= uint64_t(low));
  } else if (value.is_number_integer()) {
    inRange = value.get<int64_t>() >= low && value.get<int64_t>() <= high;
  }
  if (!value.is_number_integer() || !inRange) {
    fail(param, "'" + param + "' must be an integer from " + std::to_string(low) + " to " +
                    std::to_string(high) + ", not " + describe(value));
  }
  return value.get<int64_t>();
}

double readNumber(const Json& value, const std::string& param, double low, double high,
                  bool lowOpen) {
  if (!value.is_number()) fail(param, "'" + param + "' must be a number, not " + describe(value));
  double number = value.get<double>();
  bool inRange = (lowOpen ? number > low : number >= low) && number <= high;
  if (!inRange) {
    fail(param, "'" + param + "' must be in " + (lowOpen ? "(" : "[") + Json(low).dump() + ", " +
                    Json(high).dump() + "], not " + value.dump());
  }
  return number;
}

bool readBool(const Json& value, const std::string& param) {
  if (!value.is_boolean())
    fail(param, "'" + param + "' must be true or false, not " + describe(value));
  return value.get<bool>();
}

std::string readString(const Json& value, const std::string& param) {
  if (!value.is_string()) fail(param, "'" + param + "' must be a string, not " + describe(value));
  return value.get<std::string>();
}

std::vector<int32_t> readTokenIds(const Json& array, const std::string& param) {
  std::vector<int32_t> ids;
  for (std::size_t i = 0; i < array.size(); ++i) {
    ids.push_back(int32_t(readInteger(array[i], param + "[" + std::to_string(i) + "]", 0,
                                      std::numeric_limits<int32_t>::max())));
  }
  return ids;
}

bool isTokenIdArray(const Json& value) {
  return value.is_array() && !value.empty() && value.front().is_number();
}

std::vector<PromptInput> readPrompts(const Json& value) {
  const std::string kShape =
      "'prompt' must be a string, an array of token ids, or an array of strings or of token-id "
      "arrays";
  std::vector<PromptInput> prompts;
  if (value.is_string()) {
    prompts.push_back({.text = value.get<std::string>()});
  } else if (isTokenIdArray(value)) {
    prompts.push_back({.isTokenIds = true, .ids = readTokenIds(value, "prompt")});
  } else if (value.is_array() && !value.empty()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      std::string param = "prompt[" + std::to_string(i) + "]";
      if (value[i].is_string()) {
        prompts.push_back({.text = value[i].get<std::string>()});
      } else if (isTokenIdArray(value[i])) {
        prompts.push_back({.isTokenIds = true, .ids = readTokenIds(value[i], param)});
      } else {
        fail(param, kShape + "; " + param + " is " + describe(value[i]));
      }
    }
  } else {
    fail("prompt", kShape + ", not " + describe(value));
  }
  return prompts;
}

std::string readMessageContent(const Json& value, const std::string& param) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_array()) {
    fail(param,
         "'" + param + "' must be a string or an array of text parts, not " + describe(value));
  }
  std::string content;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string part = param + "[" + std::to_string(i) + "]";
    const Json& item = value[i];
    if (!item.is_object() || item.value("type", Json()) != "text" || !item.contains("text")) {
      fail(part, "'" + part +
                     "' must be {\"type\": \"text\", \"text\": ...}: only text parts are "
                     "supported");
    }
    content += readString(item.at("text"), part + ".text");
  }
  return content;
}

std::vector<tokenizer::ChatMessage> readMessages(const Json& value) {
  if (!value.is_array() || value.empty()) {
    fail("messages", "'messages' must be a non-empty array, not " + describe(value));
  }
  std::vector<tokenizer::ChatMessage> messages;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string param = "messages[" + std::to_string(i) + "]";
    const Json& item = value[i];
    if (!item.is_object()) fail(param, "'" + param + "' must be an object, not " + describe(item));
    tokenizer::ChatMessage message;
    bool hasRole = false;
    for (const auto& [key, field] : item.items()) {
      std::string fieldParam = param + "." + key;
      if (key == "role") {
        message.role = readString(field, fieldParam);
        if (message.role == "developer") message.role = "system";
        if (message.role != "system" && message.role != "user" && message.role != "assistant") {
          fail(fieldParam, "'" + fieldParam +
                               "' must be system, developer, user or assistant, not '" +
                               message.role + "'");
        }
        hasRole = true;
      } else if (key == "content") {
        if (!field.is_null()) message.content = readMessageContent(field, fieldParam);
      } else if (key == "name") {
        (void)readString(field, fieldParam);
      } else {
        fail(fieldParam, "unknown field '" + fieldParam + "'");
      }
    }
    if (!hasRole) fail(param + ".role", "'" + param + "' has no role");
    messages.push_back(std::move(message));
  }
  return messages;
}

std::vector<std::string> readStop(const Json& value) {
  std::vector<std::string> stops;
  if (value.is_string()) {
    stops.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    if (value.size() > kMaxStopStrings) {
      fail("stop", "'stop' holds at most " + std::to_string(kMaxStopStrings) + " strings, not " +
                       std::to_string(value.size()));
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      stops.push_back(readString(value[i], "stop[" + std::to_string(i) + "]"));
    }
  } else {
    fail("stop", "'stop' must be a string or an array of strings, not " + describe(value));
  }
  for (const std::string& stop : stops) {
    if (stop.empty()) fail("stop", "'stop' strings must not be empty");
  }
  return stops;
}

// Sampling fields we do not implement: accepted only at the value that changes nothing.
void requireNeutral(const std::string& key, const Json& value, const Json& neutral) {
  bool same = value.is_number() && neutral.is_number()
                  ? value.get<double>() == neutral.get<double>()
                  : value == neutral;
  if (!same) {
    fail(key,
         "'" + key + "' is not supported (only " + neutral.dump() + ", which changes nothing)");
  }
}

void readStreamOptions(const Json& value, CompletionRequest& request) {
  if (!value.is_object()) fail("stream_options", "'stream_options' must be an object");
  for (const auto& [key, field] : value.items()) {
    if (key == "include_usage") {
      if (!field.is_null()) request.includeUsage = readBool(field, "stream_options.include_usage");
    } else {
      fail("stream_options." + key, "unknown field 'stream_options." + key + "'");
    }
  }
}

using FieldReader = std::function<void(const Json&, CompletionRequest&)>;

// Any 64-bit integer, as vLLM accepts (signed); a negative seed is the unsigned seed with the
// same bits, which is how clients send row seeds of 2^63 and above.
uint64_t readSeed(const Json& v, const std::string& param) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  return uint64_t(readInteger(v, param, std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max()));
}

// `astro serve`'s extension: one seed per prompt (docs/serving.md), so that one request can
// carry rows whose seeds are not consecutive.
std::vector<uint64_t> readSeeds(const Json& v) {
  if (!v.is_array() || v.empty()) {
    fail("seeds", "'seeds' must be a non-empty array of integers, one per prompt");
  }
  if (int64_t(v.size()) > kMaxChoices) {
    fail("seeds", "'seeds' holds " + std::to_string(v.size()) + " seeds; at most " +
                      std::to_string(kMaxChoices));
  }
  std::vector<uint64_t> seeds;
  seeds.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    seeds.push_back(readSeed(v[i], "seeds[" + std::to_string(i) + "]"));
  }
  return seeds;
}

// The fields both endpoints accept.
std::map<std::string, FieldReader> commonFields() {
  std::map<std::string, FieldReader> fields = {
      {"model", [](const Json& v, CompletionRequest& r) { r.model = readString(v, "model"); }},
      {"max_tokens",
       [](const Json& v, CompletionRequest& r) {
         r.maxTokens = readInteger(v, "max_tokens", 1, kMaxTokensLimit);
       }},
      {"temperature",
       [](const Json& v, CompletionRequest& r) {
         r.temperature = readNumber(v, "temperature", 0, 100, false);
       }},
      {"top_p",
       [](const Json& v, CompletionRequest& r) { r.topP = readNumber(v, "top_p", 0, 1, true); }},
      {"top_k",
       [](const Json& v, CompletionRequest& r) {
         r.topK = std::max<int64_t>(0, readInteger(v, "top_k", -1, int64_t(1) << 30));
       }},
      {"n", [](const Json& v,
               CompletionRequest& r) { r.n = readInteger(v, "n", 1, kMaxChoicesPerPrompt); }},
      {"stop", [](const Json& v, CompletionRequest& r) { r.stop = readStop(v); }},
      {"stop_token_ids",
       [](const Json& v, CompletionRequest& r) {
         if (!v.is_array())
           fail("stop_token_ids", "'stop_token_ids' must be an array of token ids");
         r.stopTokenIds = readTokenIds(v, "stop_token_ids");
       }},
      {"seed", [](const Json& v, CompletionRequest& r) { r.seed = readSeed(v, "seed"); }},
      {"stream", [](const Json& v, CompletionRequest& r) { r.stream = readBool(v, "stream"); }},
      {"stream_options", readStreamOptions},
      {"user", [](const Json& v, CompletionRequest&) { (void)readString(v, "user"); }},
      {"ignore_eos",
       [](const Json& v, CompletionRequest& r) { r.ignoreEos = readBool(v, "ignore_eos"); }},
      {"include_stop_str_in_output",
       [](const Json& v, CompletionRequest& r) {
         r.includeStopStrInOutput = readBool(v, "include_stop_str_in_output");
       }},
      {"return_tokens_as_token_ids",
       [](const Json& v, CompletionRequest& r) {
         r.returnTokensAsTokenIds = readBool(v, "return_tokens_as_token_ids");
       }},
  };
  for (const auto& field :
       std::vector<std::pair<std::string, Json>>{{"presence_penalty", 0},
                                                 {"frequency_penalty", 0},
                                                 {"repetition_penalty", 1},
                                                 {"min_p", 0},
                                                 {"logit_bias", Json::object()},
                                                 {"min_tokens", 0},
                                                 {"skip_special_tokens", true}}) {
    fields[field.first] = [field](const Json& v, CompletionRequest&) {
      requireNeutral(field.first, v, field.second);
    };
  }
  return fields;
}

std::map<std::string, FieldReader> completionsFields() {
  auto fields = commonFields();
  fields["prompt"] = [](const Json& v, CompletionRequest& r) { r.prompts = readPrompts(v); };
  fields["seeds"] = [](const Json& v, CompletionRequest& r) { r.seeds = readSeeds(v); };
  fields["logprobs"] = [](const Json& v, CompletionRequest& r) {
    int64_t count = readInteger(v, "logprobs", 0, 5);
    if (count > 1) {
      fail("logprobs",
           "'logprobs' above 1 is not supported: the server returns the chosen "
           "token's log-probability only, without alternatives");
    }
    r.logprobs = true;
  };
  fields["echo"] = [](const Json& v, CompletionRequest&) { requireNeutral("echo", v, false); };
  fields["suffix"] = [](const Json& v, CompletionRequest&) { requireNeutral("suffix", v, ""); };
  fields["best_of"] = [](const Json& v, CompletionRequest&) {
    (void)readInteger(v, "best_of", 1, kMaxChoicesPerPrompt);  // checked against n below
  };
  return fields;
}

std::map<std::string, FieldReader> chatFields() {
  auto fields = commonFields();
  fields["messages"] = [](const Json& v, CompletionRequest& r) { r.messages = readMessages(v); };
  fields["max_completion_tokens"] = [](const Json& v, CompletionRequest& r) {
    r.maxTokens = readInteger(v, "max_completion_tokens", 1, kMaxTokensLimit);
  };
  fields["logprobs"] = [](const Json& v, CompletionRequest& r) {
    r.logprobs = readBool(v, "logprobs");
  };
  fields["top_logprobs"] = [](const Json& v, CompletionRequest&) {
    if (readInteger(v, "top_logprobs", 0, 20) > 0) {
      fail("top_logprobs",
           "'top_logprobs' above 0 is not supported: the server returns the "
           "chosen token's log-probability only, without alternatives");
    }
  };
  return fields;
}

// Checks between fields, once all are read.
void checkTogether(const Json& body, CompletionRequest& request) {
  bool chat = request.endpoint == Endpoint::kChatCompletions;
  if (chat && request.messages.empty()) fail("messages", "'messages' is required");
  if (!chat && request.prompts.empty()) fail("prompt", "'prompt' is required");
  if (body.contains("max_completion_tokens") && !body["max_completion_tokens"].is_null() &&
      body.contains("max_tokens") && !body["max_tokens"].is_null() &&
      body["max_tokens"] != body["max_completion_tokens"]) {
    fail("max_tokens", "'max_tokens' and 'max_completion_tokens' differ; give one");
  }
  if (body.contains("best_of") && !body["best_of"].is_null() &&
      body["best_of"].get<int64_t>() != request.n) {
    fail("best_of", "'best_of' is not supported (only equal to n, which changes nothing)");
  }
  if (body.contains("stream_options") && !body["stream_options"].is_null() && !request.stream) {
    fail("stream_options", "'stream_options' is only allowed when 'stream' is true");
  }
  if (chat && body.contains("top_logprobs") && !body["top_logprobs"].is_null() &&
      !request.logprobs) {
    fail("top_logprobs", "'top_logprobs' needs 'logprobs' set to true");
  }
  if (!request.seeds.empty() && request.seeds.size() != request.prompts.size()) {
    fail("seeds", "'seeds' holds " + std::to_string(request.seeds.size()) + " seeds for " +
                      std::to_string(request.prompts.size()) + " prompts; give one per prompt");
  }
  if (request.choiceCount() > kMaxChoices) {
    fail("n", "prompts x n = " + std::to_string(request.choiceCount()) + " choices; at most " +
                  std::to_string(kMaxChoices) + " per request");
  }
}

}  // namespace

CompletionRequest parseCompletionRequest(std::string_view body, Endpoint endpoint) {
  Json json;
  try {
    json = Json::parse(body);
  } catch (const Json::exception& error) {
    throw ApiError(400, std::string("the body is not valid JSON: ") + error.what());
  }
  if (!json.is_object())
    throw ApiError(400, "the body must be a JSON object, not " + describe(json));

  CompletionRequest request;
  request.endpoint = endpoint;
  static const auto kCompletionsFields = completionsFields();
  static const auto kChatFields = chatFields();
  const auto& fields = endpoint == Endpoint::kChatCompletions ? kChatFields : kCompletionsFields;
  for (const auto& [key, value] : json.items()) {
    auto field = fields.find(key);
    if (field == fields.end()) fail(key, "unknown field '" + key + "'");
    if (value.is_null()) continue;  // null reads as absent, as in OpenAI's API
    field->second(value, request);
  }
  checkTogether(json, request);
  return request;
}

}  // namespace astro::serve
