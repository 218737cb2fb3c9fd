// A streamed response's events from the choices' progress: each choice's new text (held back
// where it may begin a stop string), the new tokens' logprobs, a finish reason once, then the
// usage chunk when asked for and [DONE]. Torch-free; the server writes what it returns.
#pragma once

#include <string>
#include <vector>

#include "core/serve/completion_job.h"
#include "core/serve/completion_response.h"
#include "core/serve/stop_text.h"

namespace astro::serve {

class CompletionStream {
 public:
  CompletionStream(ResponseContext context, std::size_t choiceCount, int64_t promptTokens);
  // The events for what changed since the last call (the chat role chunks on the first call).
  std::string update(const std::vector<ChoiceProgress>& choices);
  bool finished() const;    // every choice has sent its finish reason (or error)
  std::string end() const;  // usage chunk when asked for, then [DONE]

 private:
  struct ChoiceState {
    StreamedText text;
    std::size_t sentTokens = 0;
    int64_t textOffset = 0;
    bool started = false;
    bool finished = false;
  };
  ResponseContext context_;
  std::vector<ChoiceState> choices_;
  int64_t promptTokens_;
  int64_t completionTokens_ = 0;
};

}  // namespace astro::serve
