#include "core/train/sft_data.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/search/loss_mask.h"
#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/response_loss_mask.h"

namespace astro::train {

namespace {

std::string requireString(const nlohmann::json& object, const char* key, const std::string& file,
                          std::int64_t line, const std::string& fieldPath) {
  auto found = object.find(key);
  if (found == object.end()) throw ParseError(file, line, fieldPath, "missing");
  if (!found->is_string()) throw ParseError(file, line, fieldPath, "must be a string");
  return found->get<std::string>();
}

std::vector<tokenizer::ChatMessage> readMessages(const nlohmann::json& record,
                                                 const std::string& file, std::int64_t line) {
  std::vector<tokenizer::ChatMessage> messages;
  if (auto found = record.find("messages"); found != record.end()) {
    if (!found->is_array() || found->empty()) {
      throw ParseError(file, line, "messages", "must be a non-empty array");
    }
    for (std::size_t i = 0; i < found->size(); ++i) {
      const auto& message = (*found)[i];
      std::string path = "messages[" + std::to_string(i) + "]";
      if (!message.is_object()) throw ParseError(file, line, path, "must be an object");
      messages.push_back({requireString(message, "role", file, line, path + ".role"),
                          requireString(message, "content", file, line, path + ".content")});
    }
    if (messages.back().role != "assistant") {
      throw ParseError(file, line, "messages", "the last message must be the assistant's");
    }
    return messages;
  }
  if (record.contains("prompt")) {
    const char* responseKey = record.contains("response") ? "response" : "completion";
    messages.push_back({"user", requireString(record, "prompt", file, line, "prompt")});
    messages.push_back(
        {"assistant", requireString(record, responseKey, file, line, responseKey)});
    return messages;
  }
  throw ParseError(file, line, "messages", "missing (expected \"messages\" or \"prompt\")");
}

// The response's masked byte ranges: the last message's "loss_mask"; none without one.
std::vector<search::ByteRange> readResponseLossMask(const nlohmann::json& record,
                                                    std::size_t contentBytes,
                                                    const std::string& file, std::int64_t line) {
  auto messages = record.find("messages");
  if (messages == record.end()) {
    if (record.contains(search::kLossMaskKey)) {
      throw ParseError(file, line, search::kLossMaskKey,
                       "belongs on the assistant message of the \"messages\" form");
    }
    return {};
  }
  const nlohmann::json& response = messages->back();
  auto mask = response.find(search::kLossMaskKey);
  if (mask == response.end()) return {};
  const std::string field =
      "messages[" + std::to_string(messages->size() - 1) + "]." + search::kLossMaskKey;
  return search::lossMaskFromJson(*mask, contentBytes, file, line, field);
}

}  // namespace

SftExample tokenizeSftRecord(const std::string& jsonLine, const tokenizer::Tokenizer& tokenizer,
                             const std::string& file, std::int64_t line) {
  nlohmann::json record;
  try {
    record = nlohmann::json::parse(jsonLine);
  } catch (const nlohmann::json::exception& error) {
    throw ParseError(file, line, "", std::string("invalid JSON: ") + error.what());
  }
  if (!record.is_object()) throw ParseError(file, line, "", "expected a JSON object");
  auto messages = readMessages(record, file, line);
  tokenizer::ChatMessage response = messages.back();
  messages.pop_back();
  const auto lossMask = readResponseLossMask(record, response.content.size(), file, line);

  // The prompt is everything up to and including the assistant header; the response is the
  // assistant's content followed by the end-of-turn token, so the model learns to stop.
  std::string prompt = tokenizer::renderChat(tokenizer.chatFormat(), messages, true);
  SftExample example;
  example.sourceLine = line;
  example.ids = tokenizer.encode(prompt);
  example.isResponse.assign(example.ids.size(), 0);
  // Tokens inside the loss mask's ranges get no loss, like the prompt's.
  auto [responseIds, trained] = tokenizeResponse(tokenizer, response.content, lossMask);
  auto stops = tokenizer.stopIds();
  if (!stops.empty()) {
    // Prefer the end-of-turn token of the chat format (<|eot_id|>, <|im_end|>) over plain EOS.
    std::int32_t endOfTurn = stops.back();
    for (const char* name : {"<|eot_id|>", "<|im_end|>"}) {
      if (auto id = tokenizer.tokenId(name)) endOfTurn = *id;
    }
    responseIds.push_back(endOfTurn);
    trained.push_back(1);
  }
  example.ids.insert(example.ids.end(), responseIds.begin(), responseIds.end());
  example.isResponse.insert(example.isResponse.end(), trained.begin(), trained.end());
  return example;
}

std::vector<SftExample> loadSftJsonl(const std::filesystem::path& path,
                                     const tokenizer::Tokenizer& tokenizer,
                                     const SftDataOptions& options, SftDataReport* report) {
  std::ifstream in(path);
  if (!in) throw IoError(path.string(), "open", errno);
  SftDataReport local;
  SftDataReport& counts = report ? *report : local;
  std::vector<SftExample> examples;
  std::string text;
  std::int64_t lineNumber = 0;
  while (std::getline(in, text)) {
    ++lineNumber;
    ++counts.lines;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    SftExample example;
    try {
      example = tokenizeSftRecord(text, tokenizer, path.string(), lineNumber);
    } catch (const ParseError& error) {
      if (!options.skipBad) throw;
      ++counts.skippedBad;
      counts.badLines.push_back(error.what());
      continue;
    }
    if (int(example.ids.size()) > options.maxSequenceLength) {
      if (!options.truncateLong) {
        ++counts.skippedTooLong;
        continue;
      }
      example.ids.resize(std::size_t(options.maxSequenceLength));
      example.isResponse.resize(std::size_t(options.maxSequenceLength));
      ++counts.truncated;
    }
    for (auto flag : example.isResponse) counts.responseTokens += flag;
    counts.totalTokens += std::int64_t(example.ids.size());
    examples.push_back(std::move(example));
  }
  counts.examples = std::int64_t(examples.size());
  if (lineNumber == 0) throw ParseError(path.string(), 0, "", "file is empty");
  return examples;
}

}  // namespace astro::train
