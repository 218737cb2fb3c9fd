// Fuzz target for the loss mask of an SFT record: the input is read as an assistant message
// ({"content": "...", "loss_mask": [[begin, end], ...]}); whatever lossMaskFromJson accepts must
// be sorted, disjoint, non-empty ranges inside the content. astro::Error is the expected answer
// to a malformed mask; a crash, sanitizer report, hang or an accepted mask that breaks those
// rules is a finding.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/error.h"
#include "core/search/loss_mask.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto message = nlohmann::json::parse(data, data + size, nullptr, false);
  if (!message.is_object()) return 0;
  const auto content = message.find("content");
  const auto mask = message.find(astro::search::kLossMaskKey);
  if (content == message.end() || !content->is_string() || mask == message.end()) return 0;
  const std::size_t bytes = content->get_ref<const std::string&>().size();
  try {
    const auto ranges = astro::search::lossMaskFromJson(*mask, bytes, "fuzz.jsonl", 1,
                                                        "messages[1].loss_mask");
    std::size_t previousEnd = 0;
    for (const auto& range : ranges) {
      if (range.begin >= range.end || range.end > bytes || range.begin < previousEnd) {
        __builtin_trap();
      }
      previousEnd = range.end;
    }
  } catch (const astro::Error&) {
  }
  return 0;
}
