// Supervised fine-tuning data: chat-form JSONL ({"messages": [...]}) or prompt/response pairs,
// tokenized with the model's chat format, with a loss mask that covers response tokens only, less
// the byte ranges the assistant message's "loss_mask" names (core/search/loss_mask.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace astro::tokenizer {
class Tokenizer;
}

namespace astro::train {

struct SftExample {
  std::vector<std::int32_t> ids;
  // 1 where ids[t] is trained on: a response token outside the record's loss_mask ranges.
  std::vector<std::uint8_t> isResponse;
  std::int64_t sourceLine = 0;
};

struct SftDataOptions {
  int maxSequenceLength = 8192;  // ASTRO SFT max length 8192 (paper, SFT setup)
  bool truncateLong = false;     // false: examples longer than the limit are skipped and counted
  bool skipBad = false;          // false: a malformed line stops with file:line: field: what
};

struct SftDataReport {
  std::int64_t lines = 0;
  std::int64_t examples = 0;
  std::int64_t skippedTooLong = 0;
  std::int64_t truncated = 0;
  std::int64_t skippedBad = 0;
  std::int64_t responseTokens = 0;  // trained ones (loss_mask ranges excluded)
  std::int64_t totalTokens = 0;
  std::vector<std::string> badLines;  // "file:line: reason" for skipped malformed lines
};

// One example from one JSON object: {"messages":[{"role","content"}...]} (the last message is
// the assistant's response, optionally with "loss_mask": [[begin, end], ...] in bytes of its
// content; response_loss_mask.h says which tokens that masks) or {"prompt",
// "response"|"completion"}. A malformed loss_mask is a ParseError naming messages[i].loss_mask.
SftExample tokenizeSftRecord(const std::string& jsonLine, const tokenizer::Tokenizer& tokenizer,
                             const std::string& file, std::int64_t line);

std::vector<SftExample> loadSftJsonl(const std::filesystem::path& path,
                                     const tokenizer::Tokenizer& tokenizer,
                                     const SftDataOptions& options, SftDataReport* report);

}  // namespace astro::train
