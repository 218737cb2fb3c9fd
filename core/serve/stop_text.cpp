// Stop-string cuts and streaming hold-back (stop_text.h).
#include "core/serve/stop_text.h"

#include <algorithm>

namespace astro::serve {

namespace {

// Bytes of an unfinished UTF-8 character at the end of `text` (0 when it ends complete or with
// bytes that can never become a character, which are sent as they are).
std::size_t unfinishedUtf8(std::string_view text) {
  for (std::size_t back = 1; back <= std::min<std::size_t>(3, text.size()); ++back) {
    auto byte = static_cast<unsigned char>(text[text.size() - back]);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte: look further back
    std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    return length > back && byte < 0xF8 ? back : 0;
  }
  return 0;
}

}  // namespace

StopCut cutAtStop(std::string_view text, const std::vector<std::string>& stops, bool includeStop) {
  StopCut cut{.end = text.size()};
  std::size_t bestStart = std::string_view::npos, bestLength = 0;
  for (const std::string& stop : stops) {
    if (stop.empty()) continue;
    std::size_t start = text.find(stop);
    if (start == std::string_view::npos) continue;
    if (start < bestStart || (start == bestStart && stop.size() > bestLength)) {
      bestStart = start;
      bestLength = stop.size();
    }
  }
  if (bestStart != std::string_view::npos) {
    cut.found = true;
    cut.end = includeStop ? bestStart + bestLength : bestStart;
  }
  return cut;
}

std::size_t heldBackTail(std::string_view text, const std::vector<std::string>& stops) {
  std::size_t held = unfinishedUtf8(text);
  for (const std::string& stop : stops) {
    if (stop.empty()) continue;
    for (std::size_t length = std::min(stop.size() - 1, text.size()); length > held; --length) {
      if (text.substr(text.size() - length) == std::string_view(stop).substr(0, length)) {
        held = length;
        break;
      }
    }
  }
  return held;
}

StreamedText::StreamedText(std::vector<std::string> stops, bool includeStop)
    : stops_(std::move(stops)), includeStop_(includeStop) {}

std::string StreamedText::advance(std::string_view text, bool final) {
  if (stopped_) return {};
  StopCut cut = cutAtStop(text, stops_, includeStop_);
  std::size_t end = cut.end;
  if (cut.found) {
    stopped_ = true;
  } else if (!final) {
    end = text.size() - heldBackTail(text, stops_);
  }
  if (end <= sent_) return {};
  std::string piece(text.substr(sent_, end - sent_));
  sent_ = end;
  return piece;
}

}  // namespace astro::serve
