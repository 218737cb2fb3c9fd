// The chat templates of Llama 3 and ChatML models written out in C++ (no Jinja), matching what
// their tokenizer_config.json templates render for plain role/content messages.
#include "core/tokenizer/chat_format.h"

#include <string_view>

namespace astro::tokenizer {

namespace {

// Jinja's `trim`, which the Llama 3 template applies to every message's content.
std::string_view trimWhitespace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\v\f";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

std::string renderLlama3(std::span<const ChatMessage> messages, bool addGenerationPrompt) {
  std::string out = "<|begin_of_text|>";
  for (const auto& message : messages) {
    out += "<|start_header_id|>" + message.role + "<|end_header_id|>\n\n";
    out += trimWhitespace(message.content);
    out += "<|eot_id|>";
  }
  if (addGenerationPrompt) out += "<|start_header_id|>assistant<|end_header_id|>\n\n";
  return out;
}

std::string renderChatMl(std::span<const ChatMessage> messages, bool addGenerationPrompt) {
  std::string out;
  for (const auto& message : messages) {
    out += "<|im_start|>" + message.role + "\n" + message.content + "<|im_end|>\n";
  }
  if (addGenerationPrompt) out += "<|im_start|>assistant\n";
  return out;
}

std::string renderPlain(std::span<const ChatMessage> messages, bool addGenerationPrompt) {
  std::string out;
  for (const auto& message : messages) out += message.role + ": " + message.content + "\n\n";
  if (addGenerationPrompt) out += "assistant: ";
  return out;
}

}  // namespace

std::string renderChat(ChatFormat format, std::span<const ChatMessage> messages,
                       bool addGenerationPrompt) {
  switch (format) {
    case ChatFormat::Llama3:
      return renderLlama3(messages, addGenerationPrompt);
    case ChatFormat::ChatML:
      return renderChatMl(messages, addGenerationPrompt);
    case ChatFormat::Plain:
      break;
  }
  return renderPlain(messages, addGenerationPrompt);
}

std::string chatFormatName(ChatFormat format) {
  switch (format) {
    case ChatFormat::Llama3:
      return "llama3";
    case ChatFormat::ChatML:
      return "chatml";
    case ChatFormat::Plain:
      break;
  }
  return "plain";
}

}  // namespace astro::tokenizer
