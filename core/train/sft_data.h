// Supervised fine-tuning data: chat-form JSONL ({"messages": [...]}) or prompt/response pairs,
// tokenized with the model's chat format, with a loss mask that covers response tokens only.
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
  std::vector<std::uint8_t> isResponse;  // 1 where ids[t] is a response token (trained on)
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
  std::int64_t responseTokens = 0;
  std::int64_t totalTokens = 0;
  std::vector<std::string> badLines;  // "file:line: reason" for skipped malformed lines
};

// One example from one JSON object: {"messages":[{"role","content"}...]} (the last message is
// the assistant's response) or {"prompt", "response"|"completion"}.
SftExample tokenizeSftRecord(const std::string& jsonLine, const tokenizer::Tokenizer& tokenizer,
                             const std::string& file, std::int64_t line);

std::vector<SftExample> loadSftJsonl(const std::filesystem::path& path,
                                     const tokenizer::Tokenizer& tokenizer,
                                     const SftDataOptions& options, SftDataReport* report);

}  // namespace astro::train
