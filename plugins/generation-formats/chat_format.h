// The "chat" generation format: {"messages": [{"role", "content"}, ...], "answer", ...}, as
// OpenAI-style chat dumps write it. The completion is the last assistant message, the prompt the
// last user message before it. A line is chat when its object has "messages".
#pragma once

#include <string_view>

#include "json_line.h"

namespace generation_formats {

bool detectsChat(std::string_view line);
Sample readChat(std::string_view line);  // throws LineError naming the field

}  // namespace generation_formats
