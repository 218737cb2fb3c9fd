// The chat format (chat_format.h).
#include "chat_format.h"

namespace generation_formats {

using nlohmann::json;

bool detectsChat(std::string_view line) { return hasTopLevelKeys(line, {"messages"}, false); }

Sample readChat(std::string_view line) {
  json object = parseObject(line);
  if (!object.contains("messages")) throw LineError("missing field 'messages'");
  const json& messages = object.at("messages");
  if (!messages.is_array()) throw LineError("field 'messages': expected an array");
  std::size_t lastAssistant = messages.size();  // none
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const json& message = messages[i];
    if (!message.is_object() || !message.contains("role") || !message["role"].is_string() ||
        !message.contains("content") || !message["content"].is_string()) {
      throw LineError("field 'messages[" + std::to_string(i) +
                      "]': expected {\"role\": string, \"content\": string}");
    }
    if (message["role"] == "assistant") lastAssistant = i;
  }
  if (lastAssistant == messages.size()) throw LineError("field 'messages': no assistant message");
  Sample sample;
  sample.completion = messages[lastAssistant]["content"].get<std::string>();
  for (std::size_t i = lastAssistant; i-- > 0;) {
    if (messages[i]["role"] == "user") {
      sample.prompt = messages[i]["content"].get<std::string>();
      break;
    }
  }
  readCommonFields(object, sample);
  return sample;
}

}  // namespace generation_formats
