// Chat conventions of the models Astro Studio drives: how a list of role/content messages is
// written as one prompt string (special tokens included) before it is tokenized.
#pragma once

#include <span>
#include <string>

namespace astro::tokenizer {

enum class ChatFormat {
  Llama3,  // <|begin_of_text|><|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>
  ChatML,  // <|im_start|>role\ncontent<|im_end|>\n (Qwen)
  Plain,   // role: content\n\n, for tokenizers without a chat template
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

// Renders messages in the model's convention; addGenerationPrompt appends the assistant header
// so the model continues with the assistant's reply.
std::string renderChat(ChatFormat format, std::span<const ChatMessage> messages,
                       bool addGenerationPrompt);

// "llama3", "chatml", "plain".
std::string chatFormatName(ChatFormat format);

}  // namespace astro::tokenizer
