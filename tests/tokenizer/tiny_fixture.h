// The tiny tokenizer the tests own (fixtures/tiny, written by fixtures/make_tiny_tokenizer.py):
// its path, its JSON for tests that edit it, and loading an edited copy from memory.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/tokenizer/tokenizer.h"

namespace astro::test {

inline std::filesystem::path tinyTokenizerDir() {
  return std::filesystem::path(ASTRO_SOURCE_DIR) / "tests/tokenizer/fixtures/tiny";
}

inline std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline nlohmann::json tinyTokenizerJson() {
  return nlohmann::json::parse(readText(tinyTokenizerDir() / "tokenizer.json"));
}

inline astro::tokenizer::Tokenizer tokenizerFromJson(const nlohmann::json& json) {
  return astro::tokenizer::Tokenizer::fromJsonText(json.dump(), {}, "tokenizer.json");
}

}  // namespace astro::test
