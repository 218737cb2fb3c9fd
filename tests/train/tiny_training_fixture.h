// A tiny byte-level tokenizer (ChatML special tokens) and a tiny random Llama model written to a
// folder, so trainer tests run in seconds without ../shared.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace astro::test {

// Writes tokenizer.json + tokenizer_config.json (259 ids: 256 bytes + 3 special) into `dir`.
void writeTinyTokenizer(const std::filesystem::path& dir);

// Writes the tokenizer plus a random-init Llama (hidden 32, 2 layers) into `dir`.
void writeTinyModel(const std::filesystem::path& dir, unsigned long long seed = 7);

// `count` chat-form JSONL lines: a question and a short deterministic answer.
void writeTinyCorpus(const std::filesystem::path& file, int count);

}  // namespace astro::test
