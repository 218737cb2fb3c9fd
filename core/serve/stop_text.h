// Where a generated text ends for the client when stop strings are asked for: OpenAI's API cuts
// the text before the first stop string (vLLM's include_stop_str_in_output keeps it). Streaming
// holds back a tail that may be the start of a stop string, or an unfinished UTF-8 character,
// until the next tokens settle it. Torch-free.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace astro::serve {

struct StopCut {
  std::size_t end = 0;  // bytes of the text the client gets
  bool found = false;   // a stop string was found
};

// The first stop string in `text` (earliest start; the longest at that start), and where the
// text ends: before it, or after it when includeStop.
StopCut cutAtStop(std::string_view text, const std::vector<std::string>& stops, bool includeStop);

// Bytes at the end of `text` that must wait: the longest tail that is a proper prefix of a stop
// string, or an unfinished UTF-8 character, whichever is longer.
std::size_t heldBackTail(std::string_view text, const std::vector<std::string>& stops);

// One streamed choice's text: hands out each new piece once, never past a stop string.
class StreamedText {
 public:
  StreamedText(std::vector<std::string> stops, bool includeStop);
  // `text`: the whole text decoded so far. Returns what the client has not had and may have now
  // (everything up to a stop string when `final`).
  std::string advance(std::string_view text, bool final);
  bool stopped() const { return stopped_; }  // a stop string was reached: nothing more to send

 private:
  std::vector<std::string> stops_;
  bool includeStop_;
  std::size_t sent_ = 0;
  bool stopped_ = false;
};

}  // namespace astro::serve
