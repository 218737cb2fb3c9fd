// The `loss_mask` field of a chat-form SFT record (docs/linearization.md, "Loss masks"): byte
// ranges of the assistant message's content that carry no loss. The exporter writes it for
// wrong-branch steps (Self-Backtracking, arXiv 2502.04404) and the SFT data reader honours it; a
// record without it trains on the whole response.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace astro::search {

// The key on the assistant message: "loss_mask": [[begin, end], ...].
inline constexpr const char* kLossMaskKey = "loss_mask";

// Bytes [begin, end) of the message content.
struct ByteRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const ByteRange&) const = default;
};

// [[begin, end], ...] in the given order.
nlohmann::ordered_json lossMaskToJson(const std::vector<ByteRange>& ranges);

// The inverse, checked against content of `contentBytes` bytes: an array of [begin, end] pairs
// of non-negative integers with begin < end <= contentBytes, sorted, not overlapping (touching is
// allowed). Throws astro::ParseError(file, line, "<field>[i]...", what) at the first fault.
std::vector<ByteRange> lossMaskFromJson(const nlohmann::json& value, std::size_t contentBytes,
                                        const std::string& file, std::int64_t line,
                                        const std::string& field);

}  // namespace astro::search
